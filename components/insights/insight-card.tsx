import clsx from "clsx";
import type { ReactNode } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

/**
 * One insight: a title, a line saying what it shows, the chart, and the figures behind it in a
 * table folded away (what screen readers and people copying numbers read). With no figures yet,
 * a sentence says what will appear and when.
 */
export function InsightCard({
  title,
  description,
  empty,
  figures,
  className,
  testId,
  children,
}: {
  title: string;
  description: ReactNode;
  /** What appears here and when; shown instead of the chart while there is nothing to draw. */
  empty: string | null;
  figures?: { columns: string[]; rows: ReactNode[][] };
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <Card className={clsx("min-w-0", className)} data-testid={testId}>
      <CardHeader title={title} description={description} />
      <CardBody className="space-y-3">
        {empty !== null ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500">{empty}</p>
        ) : (
          <>
            {children}
            {figures && figures.rows.length > 0 ? (
              <details className="text-xs">
                <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900">The figures</summary>
                <div className="mt-2 overflow-x-auto">
                  <table className="w-full text-left">
                    <thead className="border-b border-zinc-200 text-zinc-500">
                      <tr>
                        {figures.columns.map((column, i) => (
                          <th key={column} scope="col" className={clsx("py-1 pr-3 font-medium", i > 0 && "text-right")}>
                            {column}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {figures.rows.map((row, r) => (
                        <tr key={r} className="border-b border-zinc-100 last:border-b-0">
                          {row.map((cell, i) =>
                            i === 0 ? (
                              <th key={i} scope="row" className="py-1 pr-3 font-normal text-zinc-700">
                                {cell}
                              </th>
                            ) : (
                              <td key={i} className="py-1 pr-3 text-right tabular-nums">
                                {cell}
                              </td>
                            ),
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            ) : null}
          </>
        )}
      </CardBody>
    </Card>
  );
}
