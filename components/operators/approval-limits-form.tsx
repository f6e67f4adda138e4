"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, type FieldErrors, type Resolver } from "react-hook-form";
import { apiJson } from "@/components/api-client";
import { zodErrorMap } from "@/lib/i18n/errors";
import { formatKopecks, kopecksToRublesInput, parseRublesToKopecks } from "@/lib/money";
import { ApprovalLimitsSchema, type ApprovalLimits } from "@/lib/payouts/schemas";
import { errorText } from "./error-text";

interface LimitValues {
  daily: string;
  payout: string;
}

const FIELDS = { daily: "dailyKopecks", payout: "payoutKopecks" } as const;

/** Rubles as typed (empty = no limit) → kopecks, checked by the server's own schema, worded in Russian. */
const limitsResolver: Resolver<LimitValues, unknown, ApprovalLimits> = async (values) => {
  const errors: FieldErrors<LimitValues> = {};
  const limits: Record<string, number | null> = {};
  for (const [field, key] of Object.entries(FIELDS) as Array<[keyof LimitValues, (typeof FIELDS)[keyof LimitValues]]>) {
    const typed = values[field].trim();
    if (typed === "") {
      limits[key] = null;
      continue;
    }
    const parsed = parseRublesToKopecks(typed);
    if (parsed.ok) limits[key] = parsed.kopecks;
    else errors[field] = { type: "validate", message: parsed.reason };
  }
  if (Object.keys(errors).length > 0) return { values: {}, errors };
  const result = ApprovalLimitsSchema.safeParse(limits, { error: zodErrorMap("ru") });
  if (result.success) return { values: result.data, errors: {} };
  for (const issue of result.error.issues) {
    const field = issue.path[0] === "dailyKopecks" ? "daily" : "payout";
    errors[field] ??= { type: "validate", message: issue.message };
  }
  return { values: {}, errors };
};

const toInput = (kopecks: number | null) => (kopecks === null ? "" : kopecksToRublesInput(kopecks));
const limitText = (kopecks: number | null) => (kopecks === null ? "без лимита" : formatKopecks(kopecks));

/** An admin sets one operator's approval limits: per Moscow day and per payout (empty = no limit). */
export function ApprovalLimitsForm({ operatorId, email, limits }: { operatorId: string; email: string; limits: ApprovalLimits }) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<LimitValues, unknown, ApprovalLimits>({
    resolver: limitsResolver,
    defaultValues: { daily: toInput(limits.dailyKopecks), payout: toInput(limits.payoutKopecks) },
  });

  const submit = handleSubmit(async (values) => {
    setNotice(null);
    try {
      await apiJson(`/api/admin/operators/${operatorId}`, { method: "POST", body: { limits: values } });
      setNotice({ tone: "info", text: `Лимиты сохранены: в сутки — ${limitText(values.dailyKopecks)}, на выплату — ${limitText(values.payoutKopecks)}.` });
      router.refresh();
    } catch (error) {
      setNotice({ tone: "error", text: errorText(error) });
    }
  });

  const input = "mt-1 w-40 rounded-lg border border-slate-300 px-3 py-2 aria-invalid:border-red-500";
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-3" data-testid="limits-form" data-email={email}>
      <label className="text-sm">
        <span className="block font-medium text-slate-700">В сутки (МСК), ₽</span>
        <input {...register("daily")} inputMode="decimal" placeholder="без лимита" aria-label={`Лимит одобрений в сутки: ${email}`} aria-invalid={errors.daily ? true : undefined} className={input} />
        {errors.daily ? <span className="mt-1 block max-w-56 text-xs text-red-700">{errors.daily.message}</span> : null}
      </label>
      <label className="text-sm">
        <span className="block font-medium text-slate-700">На одну выплату, ₽</span>
        <input {...register("payout")} inputMode="decimal" placeholder="без лимита" aria-label={`Лимит на одну выплату: ${email}`} aria-invalid={errors.payout ? true : undefined} className={input} />
        {errors.payout ? <span className="mt-1 block max-w-56 text-xs text-red-700">{errors.payout.message}</span> : null}
      </label>
      <button type="submit" disabled={isSubmitting} className="mt-6 rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
        Сохранить лимиты {email}
      </button>
      {notice ? (
        <p role={notice.tone === "error" ? "alert" : "status"} className={`w-full text-sm ${notice.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
          {notice.text}
        </p>
      ) : null}
    </form>
  );
}
