import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";
import type { AuditChainReport } from "@/lib/audit/service";

const count = (n: number, what: string) => `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;

/** The audit chain's state as the last verification left it: sealed, awaiting the sealer, or broken and where. */
export function ChainStatus({ report }: { report: AuditChainReport }) {
  const waiting =
    report.unsealed > 0 ? ` ${count(report.unsealed, "recent event")} ${report.unsealed === 1 ? "waits" : "wait"} to be sealed by the worker, within a minute.` : "";
  const lastFull = report.fullyVerifiedAt ? (
    <>
      The whole trail was last re-hashed on <Time iso={report.fullyVerifiedAt} />.
    </>
  ) : (
    <>The whole trail has not been re-hashed yet: run <code>npm run cli -- audit verify</code>.</>
  );
  if (report.ok) {
    return (
      <Alert tone="success" className="mb-4" role="status" title={`Audit trail intact: ${count(report.sealed, "sealed event")} verified`}>
        Each sealed event&apos;s hash matches its contents and the event before it; this visit re-hashed {count(report.checked, "event")}, those
        sealed since the last verification.{waiting} {lastFull}
      </Alert>
    );
  }
  const where = report.brokenAtId === null ? `position ${report.brokenAtPosition}` : `event ${report.brokenAtId}`;
  return (
    <Alert tone="danger" className="mb-4" role="alert" title={`Audit trail broken at ${where}`}>
      The trail was changed outside Countersign: at chain position {report.brokenAtPosition}, {report.problem}. Found on{" "}
      <Time iso={report.verifiedAt} />; it stays reported until <code>npm run cli -- audit verify</code> finds the whole trail intact.
    </Alert>
  );
}
