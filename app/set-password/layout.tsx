import type { ReactNode } from "react";
import { PortalFrame } from "../portal-frame";

export default function SetPasswordLayout({ children }: { children: ReactNode }) {
  return <PortalFrame>{children}</PortalFrame>;
}
