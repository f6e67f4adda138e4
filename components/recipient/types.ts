import type { ActionResult } from "@/lib/http/action";
import type { RecipientLocale } from "@/lib/i18n/recipient";
import type { RecipientView } from "@/lib/payouts/views";

/**
 * The server actions of app/p/[token]/actions.ts, as the page hands them to its client islands
 * (components never import from app/).
 */
export interface WidgetTokenData {
  publicToken: string;
  widgetUrl: string;
  widgetGlobal: string;
  /** BANK131_WIDGET_INTEGRITY: the script's SRI hash, or null to load it without one. */
  widgetIntegrity: string | null;
}

export interface DescribedCard {
  brand: string | null;
  last4: string | null;
  label: string;
}

export interface TokenizedAccount {
  token: string;
  maskedAccount: string;
  bik: string;
}

export interface SbpBankOption {
  id: string;
  name: string;
  nameEn: string;
}

/** The bank's answer about SBP details (lib/payouts/sbp.ts SbpCheck). */
export interface SbpCheckResult {
  status: "verified" | "pending" | "failed";
  failureCode: string | null;
  maskedName: string | null;
  bank: SbpBankOption;
  phone: string;
  reused: boolean;
}

/** The bank's self-employed linking widget: its single-use token and script. */
export interface SelfEmployedWidgetData {
  publicToken: string;
  taxReference: string;
  widgetUrl: string;
}

export interface SelfEmployedActions {
  checkSelfEmployed: (input: { linkToken: string }) => Promise<ActionResult<RecipientView>>;
  getSelfEmployedWidgetToken: (input: { linkToken: string }) => Promise<ActionResult<SelfEmployedWidgetData>>;
}

export interface RecipientActions {
  getWidgetToken: (input: { linkToken: string; locale: RecipientLocale }) => Promise<ActionResult<WidgetTokenData>>;
  describeCard: (input: { linkToken: string; numberHash: string; locale: RecipientLocale }) => Promise<ActionResult<DescribedCard>>;
  tokenizeAccount: (input: { linkToken: string; account: { bik: string; account: string } }) => Promise<ActionResult<TokenizedAccount>>;
  listSbpBanks: (input: { linkToken: string }) => Promise<ActionResult<SbpBankOption[]>>;
  checkSbp: (input: { linkToken: string; bankId: string; phone?: string }) => Promise<ActionResult<SbpCheckResult>>;
  /** Self-employed payouts only (components/recipient/self-employed-gate.tsx). */
  selfEmployed?: SelfEmployedActions;
}

/** What every instrument step (card, bank account, SBP) gets from RecipientFlow. */
export interface InstrumentStepProps {
  token: string;
  view: RecipientView;
  locale: RecipientLocale;
  validUntil: string;
  onView: (view: RecipientView) => void;
  refreshView: () => void;
}
