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
            kind === "bank_account" ? "The money reaches the account within one business day." : "Cards usually get the money within minutes."
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
};

provideRecipientDictionary("en", en);
