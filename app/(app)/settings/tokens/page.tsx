import type { Metadata } from "next";
import { PageError } from "@/components/page-error";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { RevokeButton } from "@/components/tokens/revoke-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { listTokens, MAX_ACTIVE_TOKENS } from "@/lib/tokens/service";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor();
  const tokens = await settle(listTokens(actor));
  if (!tokens.ok) return <PageError error={tokens.error} />;
  const now = new Date();
  const expired = (token: { expiresAt: Date | null }) => token.expiresAt !== null && token.expiresAt <= now;
  const active = tokens.data.filter((token) => !token.revokedAt && !expired(token)).length;
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens let scripts and CI use the Countersign API as you, with your permissions. Send one as “Authorization: Bearer <token>”. Every change made with a token is audited under your name, marked as made by a token."
      />
      <Card className="mb-4">
        <CardHeader title="Create a token" description={`You have ${active} of at most ${MAX_ACTIVE_TOKENS} active tokens. Revoked and expired tokens do not count.`} />
        <CardBody>
          <CreateTokenForm createToken={createTokenAction} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Your tokens" description="Only the first characters are kept in readable form, to recognise a token." />
        {tokens.data.length === 0 ? (
          <CardBody>
            <p className="text-sm text-zinc-500">You have no tokens yet.</p>
          </CardBody>
        ) : (
          <Table aria-label="API tokens">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Prefix</TH>
                <TH>Created</TH>
                <TH>Last used</TH>
                <TH>Expires</TH>
                <TH>Status</TH>
                <TH className="text-right">
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <tbody>
              {tokens.data.map((token) => (
                <TR key={token.id} data-testid="token-row">
                  <TD className="font-medium">{token.name}</TD>
                  <TD className="font-mono text-xs">{token.prefix}…</TD>
                  <TD className="text-xs text-zinc-600">
                    <Time iso={token.createdAt} />
                  </TD>
                  <TD className="text-xs text-zinc-600">{token.lastUsedAt ? <Time iso={token.lastUsedAt} /> : "Never"}</TD>
                  <TD className="text-xs text-zinc-600">{token.expiresAt ? <Time iso={token.expiresAt} /> : "Never"}</TD>
                  <TD>
                    {token.revokedAt ? (
                      <Badge tone="red">Revoked</Badge>
                    ) : expired(token) ? (
                      <Badge tone="grey">Expired</Badge>
                    ) : (
                      <Badge tone="green">Active</Badge>
                    )}
                  </TD>
                  <TD className="text-right">
                    {token.revokedAt || expired(token) ? null : <RevokeButton tokenId={token.id} name={token.name} revokeToken={revokeTokenAction} />}
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
