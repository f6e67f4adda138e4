import { provideRecipientDictionary, type RecipientDictionary } from "./recipient";

/** The recipient page in English (the dictionary's shape and the language choice: recipient.ts). */

export const en: RecipientDictionary = {
  htmlLang: "en",
  brand: "Payouts",
  bankName: "Bank 131",
  titleSuffix: " · Bank 131",
  language: { group: "Page language", ru: "Русский", en: "English", switching: "Switching language…" },
  summary: {
    sends: (payer) => `${payer} is sending you a payout`,
    amount: "Amount",
    recipient: "Recipient",
    purpose: "Purpose",
    payoutNumber: "Payout number",
    validUntil: (date) => `This link is valid until ${date}`,
  },
  footer: {
    secure: "You type your card number into Bank 131's secure form: the payer's page never sees or stores it.",
    questions: (payer) => `Questions about this payout? Contact the payer, ${payer}.`,
  },
  pageTitle: {
    active: "Receive your payout",
    expired: "This link has expired",
    revoked: "This link was revoked",
    notFound: "Link not found",
  },
  card: {
    heading: "Where to send the money",
    intro: "Use a Mir, Visa or Mastercard card. You type the number into the bank's secure form.",
    widgetLoading: "Loading the bank's secure form…",
    widgetFailed: "Could not load the bank's card form.",
    reloadForm: "Reload the form",
    tokenSpent: "The card form is out of date. Reload it — nothing you typed has been sent.",
    checking: "Checking the card with the bank…",
    frameTitleHint: "Bank 131 card form",
  },
  account: {
    heading: "Bank account details",
    intro: "The payout goes to an account at a Russian bank. Your bank's app shows the BIK and the account number.",
    bikLabel: "Bank BIK",
    bikHint: "9 digits, starts with 04",
    accountLabel: "Account number",
    accountHint: "20 digits, e.g. 40817…",
    submit: "Continue",
    checking: "Checking the details…",
    maskedAccount: (masked) => `Account ${masked}`,
    bikValue: (bik) => `BIK ${bik}`,
  },
  confirm: {
    heading: "Check the details",
    intro: "The bank has checked the details. If everything is right, confirm to receive the payout.",
    recipient: "Recipient",
    card: "Card",
    to: "To",
    amount: "Amount",
    payer: "Payer",
    submit: "Confirm and receive",
    submitting: "Sending…",
    otherCard: "Use another card",
    editAccount: "Change account details",
    note: "You cannot change the details after confirming.",
  },
  status: {
    heading: "Payout status",
    progress: "Payout progress",
    steps: {
      submitted: "Details received",
      approval: "Review and approval",
      paid: "Money sent",
      failed: "Payout failed",
      cancelled: "Payout cancelled",
      refunded: "Transfer returned",
    },
    stepState: { done: "done", current: "in progress", upcoming: "to do", failed: "not done" },
    to: "To",
    card: (label) => label,
    account: (masked) => `Account ${masked}`,
    autoUpdate: "This page updates by itself",
    updateFailed: "Cannot update the status — check your connection. We will try again automatically.",
    bankPendingTitle: "Passing the payout to the bank",
    bankPending: "The bank is not answering yet; we keep trying. Your details are saved.",
    bankPendingRetry: "Try again",
    bankPendingRetrying: "Trying…",
    byStatus: {
      awaiting_recipient: {
        title: "The payout is being prepared",
        body: ({ payer }) => `${payer} will send the payout; you don't need to do anything. Its status will appear on this page.`,
      },
      submitted: {
        title: "Payout sent to the bank",
        body: () => "We passed your details to the bank. This takes a moment — the page updates by itself.",
      },
      needs_attention: {
        title: "We are checking your payout",
        body: () => "We are confirming with the bank what happened to the payout. The page updates by itself as soon as it is clear; if we need anything from you, we will write.",
      },
      awaiting_approval: {
        title: "Waiting for approval",
        body: ({ payer }) => `The bank has accepted the details. ${payer} is reviewing and approving the payout; you don't need to do anything.`,
      },
      confirming: {
        title: "The bank is processing the payout",
        body: () => "The payout is approved and the bank is transferring the money. This usually takes a few minutes.",
      },
      cancelling: {
        title: "The payout is being cancelled",
        body: ({ payer }) => `The payer is cancelling the payout. If you did not expect this, contact ${payer}.`,
      },
      bank_error: {
        title: "The bank is checking the payout",
        body: () => "The bank is confirming the result of the transfer. No action is needed — the outcome will appear on this page.",
      },
      paid: {
        title: "Money sent",
        body: ({ to, kind }) =>
          `The bank has made the transfer${to ? ` to ${kind === "bank_account" ? to.replace(/^Account/, "account") : to}` : ""}. ${
            kind === "bank_account"
              ? "The money reaches the account within one business day."
              : kind === "sbp"
                ? "SBP transfers usually arrive within minutes."
                : "Cards usually get the money within minutes."
          }`,
      },
      failed: {
        title: "The payout failed",
        body: ({ payer }) => `The bank could not make the transfer. To receive the payout, contact ${payer}.`,
      },
      cancelled: {
        title: "The payout was cancelled",
        body: ({ payer }) => `The payer cancelled this payout. For questions, contact ${payer}.`,
      },
      refunded: {
        title: "The transfer was returned",
        body: ({ payer }) =>
          `Your bank returned the money — usually because the account is closed or the details were wrong. Contact ${payer} to receive the payout again.`,
      },
      expired: {
        title: "This link has expired",
        body: ({ payer }) => `Ask ${payer} to send you a new link.`,
      },
    },
  },
  link: {
    expiredTitle: "This link has expired",
    expiredBody: (payer) => `The payout behind this link is no longer available. To receive the money, ask the payer, ${payer}, to send you a new link.`,
    revokedTitle: "This link was revoked",
    revokedBody: (payer) => `The payer revoked this link. If you are expecting a payout, contact ${payer}.`,
    notFoundTitle: "Link not found",
    notFoundBody: "Check that you copied the whole link, or ask the payer to send it again.",
  },
  errors: {
    retry: "Try again",
    dismiss: "Close",
  },
  validation: { fixFields: "Fix the highlighted fields." },
  selfEmployed: {
    checkingTitle: "Checking your self-employed status",
    checkingBody: (inn) => `We are asking the tax service whether INN ${inn} is registered as self-employed and linked to Bank 131. This usually takes a few seconds.`,
    notLinkedTitle: "Allow Bank 131 to issue your receipts",
    notLinkedBody:
      "You are self-employed, but Bank 131 is not yet linked to your «Мой налог» (My Tax) profile. Send the request below and confirm it in the «Мой налог» app — the bank will then register the income receipt for you.",
    waitingForLink: "Waiting for your confirmation in «Мой налог». This page updates by itself.",
    widgetLoading: "Loading the bank's form…",
    widgetFailed: "Could not load the linking form. Check your internet and reload the page.",
    notSelfEmployedTitle: "You are not registered as self-employed",
    notSelfEmployedBody: (inn, payer) =>
      `The tax service reports that INN ${inn} is not registered for the professional income tax (self-employed). This payout can only be received by a self-employed person. Register in the «Мой налог» app or contact ${payer}.`,
    linked: "Self-employed status confirmed, Bank 131 linked.",
    receipt: "Receipt in «Мой налог»",
    receiptLink: "Open the receipt",
  },
  sbp: {
    heading: "Transfer via SBP (Faster Payments)",
    intro: "Choose your bank and the phone number linked to the Faster Payments System. Before the payout, the bank checks that the number at that bank is yours.",
    bankLabel: "Your bank",
    bankPlaceholder: "Start typing the bank's name",
    bankHint: "Arrow keys to choose, Enter to confirm.",
    bankOptions: (count) => `${count} bank${count === 1 ? "" : "s"} found`,
    noBankMatch: "No SBP bank with this name.",
    banksLoading: "Loading the list of banks…",
    banksFailed: "Could not load the list of banks.",
    phoneLabel: "Phone number",
    phoneHint: "The number linked to SBP, e.g. +7 900 000-00-01.",
    payerPhone: (masked) => `The payer gave the number ${masked}. Choose the bank where it is linked to SBP.`,
    submit: "Check",
    checking: "The bank is checking the number…",
    stillChecking: "The bank is still checking the number. Press “Check” again in a few seconds.",
    verifiedTitle: "The bank confirmed the recipient",
    verifiedName: "Name at the bank",
    to: (bank, phone) => `SBP: ${bank}, ${phone}`,
    otherDetails: "Use another bank or number",
    failed: (code, payer) =>
      code === "account_not_found"
        ? "The bank did not find this number in SBP at the chosen bank. Check the number and the bank: the number must be linked to SBP at that very bank."
        : code === "recipient_data_mismatch"
          ? `The number at the chosen bank belongs to someone else: the owner's name does not match the payout's recipient. Check the number or choose another bank; if the name on the payout is wrong, contact ${payer}.`
          : `The bank did not confirm these details. Check the number and the bank, or contact ${payer}.`,
    errors: {
      sbp_bank_unknown: "This bank is not an SBP participant — choose a bank from the list.",
      sbp_phone_fixed: "The payer set the number for this payout; another number cannot be used.",
      sbp_not_verified: "Check the number and the bank first.",
      rate_limited: "Too many checks with this link. Try again later.",
      bank_unavailable: "The bank is not answering right now. Try again in a minute.",
      network: "No connection to the server. Check your internet and try again.",
      validation: "A phone number is 10 digits after +7, e.g. +7 900 000-00-01.",
      choose_bank: "Choose a bank from the list.",
    },
    generic: "Something went wrong. Try again.",
    retry: "Retry",
  },
};

provideRecipientDictionary("en", en);
