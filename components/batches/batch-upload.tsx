"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiJson } from "@/components/api-client";
import { errorMessage, fieldErrorMessage } from "@/lib/i18n/errors";
import { formatKopecks } from "@/lib/money";
import type { BatchPreview } from "@/lib/payouts/batches";

/**
 * Bulk payouts, step 1: pick a CSV, see what the portal makes of it (every bad row with its column
 * and reason, the count and total of the good ones), then type the total to create them.
 */

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(file);
  });
}

const describe = (error: unknown) => (error instanceof ApiError ? errorMessage(error) : errorMessage({ code: "network" }));

export function BatchUpload() {
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; contentBase64: string } | null>(null);
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [typedTotal, setTypedTotal] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (chosen: File | undefined) => {
    setPreview(null);
    setProblem(null);
    setTypedTotal("");
    if (!chosen) return;
    setBusy(true);
    try {
      const next = { name: chosen.name, contentBase64: await readBase64(chosen) };
      setFile(next);
      setPreview(await apiJson<BatchPreview>("/api/batches/preview", { method: "POST", body: { fileName: next.name, contentBase64: next.contentBase64 } }));
    } catch (error) {
      setProblem(describe(error));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const created = await apiJson<{ id: string }>("/api/batches", { method: "POST", body: { fileName: file.name, contentBase64: file.contentBase64, typedTotal } });
      router.push(`/dashboard/batches/${created.id}`);
    } catch (error) {
      setProblem(describe(error));
      setBusy(false);
    }
  };

  return (
    <div className="space-y-6">
      <label className="block rounded-2xl border border-dashed border-slate-300 bg-white p-6 text-sm">
        <span className="font-medium">Файл CSV</span>
        <span className="mt-1 block text-slate-600">
          UTF-8 или Windows-1251, разделитель «;» или «,». Столбцы: сумма, ФИО получателя, email, назначение, референс, способ выплаты, сохранённая карта.
        </span>
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="batch-file"
          className="mt-3 block text-sm"
          disabled={busy}
          onChange={(event) => void choose(event.target.files?.[0])}
        />
      </label>

      {problem && (
        <p role="alert" data-testid="batch-problem" className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800">
          {problem}
        </p>
      )}

      {preview && (
        <section aria-labelledby="preview-heading" data-testid="batch-preview" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="preview-heading" className="text-lg font-semibold">
            Проверка файла
          </h2>
          <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Строк в файле</dt>
              <dd data-testid="preview-rows">{preview.rowCount}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Будет создано выплат</dt>
              <dd data-testid="preview-valid">{preview.validCount}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Строк с ошибками</dt>
              <dd data-testid="preview-invalid">{preview.rowCount - preview.validCount}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Итого к выплате</dt>
              <dd data-testid="preview-total" className="font-semibold tabular-nums">
                {formatKopecks(preview.totalKopecks)}
              </dd>
            </div>
          </dl>
          {preview.missingColumns.length > 0 && (
            <p role="alert" className="text-sm text-red-800">
              {errorMessage({ code: "batch_empty", params: { missing: preview.missingColumns } })}
            </p>
          )}
          {preview.errors.length > 0 && (
            <table className="w-full text-left text-sm" data-testid="preview-errors">
              <caption className="mb-2 text-left font-medium">Эти строки не будут созданы</caption>
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">Строка</th>
                  <th className="py-1 pr-4 font-medium">Столбец</th>
                  <th className="py-1 font-medium">Ошибка</th>
                </tr>
              </thead>
              <tbody>
                {preview.errors.map((error, index) => (
                  <tr key={`${error.line}-${error.column}-${index}`} data-testid="preview-error" className="border-t border-slate-100">
                    <td className="py-1 pr-4 tabular-nums" data-testid="preview-error-line">{error.line}</td>
                    <td className="py-1 pr-4" data-testid="preview-error-column">{error.column}</td>
                    <td className="py-1" data-testid="preview-error-message">{fieldErrorMessage(error)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.validCount > 0 && preview.missingColumns.length === 0 && (
            <form onSubmit={(event) => void confirm(event)} className="flex flex-wrap items-end gap-3 border-t border-slate-100 pt-4">
              <label className="text-sm">
                <span className="block font-medium">Введите итог, чтобы создать {preview.validCount} выплат</span>
                <input
                  data-testid="batch-typed-total"
                  inputMode="decimal"
                  autoComplete="off"
                  value={typedTotal}
                  onChange={(event) => setTypedTotal(event.target.value)}
                  placeholder="например, 12 345,67"
                  className="mt-1 w-56 rounded-lg border border-slate-300 px-3 py-2"
                />
              </label>
              <button
                type="submit"
                data-testid="batch-confirm"
                disabled={busy || typedTotal.trim() === ""}
                className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
              >
                Создать выплаты
              </button>
            </form>
          )}
        </section>
      )}
    </div>
  );
}
