import type { Metadata } from "next";
import { ModelPriceForm } from "@/components/budgets/model-price-form";
import { PageError } from "@/components/page-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { canDo } from "@/lib/access";
import { requireActor } from "@/lib/auth";
import { getModel, listModels } from "@/lib/models/service";
import { updateModelPriceAction } from "./actions";

export const metadata: Metadata = { title: "Models and prices" };

const perMTok = (usd: number) => `$${usd}`;

export default async function ModelsPage() {
  const actor = await requireActor();
  if (!(await canDo(actor, "policies:manage"))) {
    return <PageError error={{ code: "forbidden", message: "Only admins can read and change model prices." }} />;
  }
  const models = await listModels(actor);
  const details = await Promise.all(models.map((model) => getModel(actor, model.id)));

  return (
    <>
      <PageHeader
        title="Models and prices"
        description="What each model costs per million tokens. Every call is charged at the price in force when it is made, and budgets estimate the next call at it before it is made. A change is saved as a new version and applies from the next call on. Prices shipped with Countersign are providers' list prices, dated; check them against the providers' pages."
      />
      <Card>
        <Table aria-label="Model prices">
          <THead>
            <tr>
              <TH>Model</TH>
              <TH className="text-right">Input / MTok</TH>
              <TH className="text-right">Output / MTok</TH>
              <TH>Version</TH>
              <TH>Where the price comes from</TH>
              <TH>Checked on</TH>
            </tr>
          </THead>
          <tbody>
            {details.map((model) => (
              <TR key={model.id} data-testid={`model-${model.id}`}>
                <TD>
                  <p className="font-mono text-xs font-medium text-zinc-900">{model.id}</p>
                  {model.available ? <Badge tone="green">can run here</Badge> : <p className="text-xs text-zinc-500">{model.unavailableReason}</p>}
                </TD>
                <TD className="text-right tabular-nums">{perMTok(model.inputUsdPerMTok)}</TD>
                <TD className="text-right tabular-nums">{perMTok(model.outputUsdPerMTok)}</TD>
                <TD>{model.version === 0 ? <Badge>shipped default</Badge> : <Badge tone="accent">v{model.version}</Badge>}</TD>
                <TD className="max-w-sm text-xs text-zinc-600">
                  <p>{model.note ?? "—"}</p>
                  {model.updatedBy ? <p className="text-zinc-500">set by {model.updatedBy}</p> : null}
                  <details className="mt-1">
                    <summary className="cursor-pointer text-accent-700">Change the price · history ({model.history.length})</summary>
                    <div className="mt-2 space-y-3">
                      <ModelPriceForm modelId={model.id} current={{ input: model.inputUsdPerMTok, output: model.outputUsdPerMTok }} savePrice={updateModelPriceAction} />
                      <ol className="space-y-1" aria-label={`Price history of ${model.id}`}>
                        {model.history.map((version) => (
                          <li key={version.version}>
                            <span className="font-medium">{version.version === 0 ? "shipped" : `v${version.version}`}</span>: {perMTok(version.inputUsdPerMTok)} in,{" "}
                            {perMTok(version.outputUsdPerMTok)} out{version.by ? ` · ${version.by}` : ""}
                            {version.at ? (
                              <>
                                {" "}
                                · <Time iso={version.at} />
                              </>
                            ) : null}
                            {version.note ? ` · ${version.note}` : ""}
                          </li>
                        ))}
                      </ol>
                    </div>
                  </details>
                </TD>
                <TD className="text-xs whitespace-nowrap">{model.checkedOn ?? "—"}</TD>
              </TR>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card className="mt-4">
        <CardHeader title="Price another model" description="A model not listed above, e.g. a self-hosted one (compat:...), which otherwise counts as free." />
        <CardBody>
          <ModelPriceForm savePrice={updateModelPriceAction} />
        </CardBody>
      </Card>
    </>
  );
}
