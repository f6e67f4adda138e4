import type { ReactNode } from "react";
import { PortalFrame } from "../portal-frame";

export default function LoginLayout({ children }: { children: ReactNode }) {
  return <PortalFrame>{children}</PortalFrame>;
}
