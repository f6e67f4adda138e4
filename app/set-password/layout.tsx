import type { ReactNode } from "react";
import { Providers } from "../providers";

export default function SetPasswordLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
