import type { Metadata } from "next";
import { PolicyCard } from "@/components/admin/policy-card";
import { PageError } from "@/components/page-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canDo } from "@/lib/access";
import { requireActor } from "@/lib/auth";
import { modelCatalog } from "@/lib/models/registry";
import { stepCatalog } from "@/lib/pipeline/steps";
import { listPolicies } from "@/lib/policies/service";
import { stageLabels } from "@/lib/stages/stages";
import { updatePolicyAction } from "../actions";

export const metadata: Metadata = { title: "Step policies" };

export default async function PoliciesPage() {
  const actor = await requireActor();
  if (!(await canDo(actor, "policies:manage"))) {
    return <PageError error={{ code: "forbidden", message: "Only admins can change step policies and models." }} />;
  }
  const [policies, models] = await Promise.all([listPolicies(actor), Promise.resolve(modelCatalog())]);
  const ruleSteps = stepCatalog.filter((step) => step.kind === "rule");

  return (
    <>
      <PageHeader
        title="Step policies"
        description="Each AI step drafts with the model chosen here. Its drafts are auto-approved only when they are confident, grounded, cheap enough and not sampled for audit; everything else goes to reviewers with the reason."
      />
      <div className="grid gap-4 xl:grid-cols-2">
        {policies.map((policy) => (
          <PolicyCard
            key={policy.step.key}
            step={policy.step}
            values={policy.values}
            updatedAt={policy.updatedAt}
            updatedBy={policy.updatedBy}
            models={models.map((m) => ({ id: m.id, price: m.price, unavailableReason: m.unavailableReason }))}
            updatePolicy={updatePolicyAction}
          />
        ))}
      </div>
      <Card className="mt-4">
        <CardHeader title="Rule steps" description="Deterministic checks and routing: no model, nothing to configure." />
        <ul className="divide-y divide-zinc-100">
          {ruleSteps.map((step) => (
            <li key={step.key} className="flex items-start justify-between gap-4 px-4 py-2.5" data-testid={`rule-step-${step.key}`}>
              <div>
                <p className="text-sm font-medium text-zinc-900">{step.title}</p>
                <p className="text-xs text-zinc-500">{step.description}</p>
              </div>
              <div className="flex shrink-0 items-center gap-2">
                <span className="text-xs text-zinc-500">{stageLabels[step.stage]}</span>
                <Badge>no model (rule check)</Badge>
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
