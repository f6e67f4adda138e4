import type { ReactNode } from "react";
import "./recipient.css";

/** The recipient pages' stylesheet, of their own (not the portal's): see recipient.css. */
export default function RecipientLayout({ children }: { children: ReactNode }) {
  return children;
}
