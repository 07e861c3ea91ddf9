import type { Metadata } from "next";
import { PageError } from "@/components/page-error";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { smtpConfigured } from "@/lib/notifications/email";
import type { EmailStatus } from "@/lib/notifications/schema";
import { listOutboundEmails } from "@/lib/notifications/service";

export const metadata: Metadata = { title: "Outbound email" };

const statusTone: Record<EmailStatus, BadgeTone> = { kept: "grey", queued: "amber", sent: "green", failed: "red" };

export default async function OutboundEmailPage() {
  const actor = await requireActor();
  const emails = await settle(listOutboundEmails(actor, { limit: 200 }));
  if (!emails.ok) return <PageError error={emails.error} />;
  return (
    <>
      <PageHeader
        title="Outbound email"
        description={
          smtpConfigured()
            ? "Email goes out over the SMTP server in SMTP_URL. A refused email is retried with backoff, then marked failed with the server's answer."
            : "No SMTP server is configured (set SMTP_URL), so emails are kept here instead of being sent. Read them to see what people would receive."
        }
      />
      <Card>
        <CardHeader title={`Latest ${emails.data.length} emails`} description="Newest first. Open an email to read its text." />
        {emails.data.length === 0 ? (
          <p className="px-4 py-3 text-sm text-zinc-600">No email yet.</p>
        ) : (
          <Table aria-label="Outbound email">
            <THead>
              <tr>
                <TH>Created</TH>
                <TH>To</TH>
                <TH>Email</TH>
                <TH>Status</TH>
                <TH>Attempts</TH>
              </tr>
            </THead>
            <tbody>
              {emails.data.map((email) => (
                <TR key={email.id} data-testid="outbound-email">
                  <TD className="whitespace-nowrap">
                    <Time iso={email.createdAt} />
                  </TD>
                  <TD>{email.to}</TD>
                  <TD className="max-w-xl">
                    <details>
                      <summary className="cursor-pointer font-medium text-zinc-900">{email.subject}</summary>
                      <pre className="mt-2 whitespace-pre-wrap font-sans text-xs text-zinc-700">{email.text}</pre>
                    </details>
                    {email.error ? <p className="mt-1 text-xs text-red-700">Last error: {email.error}</p> : null}
                  </TD>
                  <TD>
                    <Badge tone={statusTone[email.status]}>{email.status}</Badge>
                    {email.sentAt ? (
                      <span className="block text-xs text-zinc-600">
                        <Time iso={email.sentAt} />
                      </span>
                    ) : null}
                  </TD>
                  <TD className="tabular-nums">{email.attempts}</TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
