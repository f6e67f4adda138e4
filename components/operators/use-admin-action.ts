"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorText } from "./error-text";

/**
 * An admin page's state-changing call: one at a time (`busy`), its refusal worded in Russian (`error`),
 * and the server-rendered page refreshed after it succeeds.
 */
export function useAdminAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(call: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await call();
      router.refresh();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return { run, error, busy };
}
