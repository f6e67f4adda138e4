import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React owns the page. A form's submit button
 * stays disabled until then: pressed earlier (or Enter in a field), the browser submits the form itself —
 * a GET that reloads the page, loses what was typed and puts it into the URL (a password or an account
 * number in the address bar, the history and the server's access log) — instead of running our handler.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
