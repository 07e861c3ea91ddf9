import type { Metadata } from "next";
import { PolicyCard } from "@/components/admin/policy-card";
import { PageError } from "@/components/page-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canDo } from "@/lib/access";
import { requireActor } from "@/lib/auth";
import { modelCatalog } from "@/lib/models/registry";
import { stepCatalog, stepInfo } from "@/lib/pipeline/steps";
import { defaultPolicy, listPolicies } from "@/lib/policies/service";
import { stageLabels } from "@/lib/stages/stages";
import { updatePolicyAction, whatIfPolicyAction } from "../actions";

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
        description="Each AI step drafts with the model chosen here. A draft is auto-approved only when nothing is wrong with it and the measured evidence (past reviewer decisions) shows drafts like it are wrong less often than the target error rate, with the confidence asked. Everything else goes to reviewers with the reason. Preview a change before you save it."
      />
      <div className="space-y-4">
        {policies.map((policy) => (
          <PolicyCard
            key={policy.stepKey}
            policy={policy}
            defaults={defaultPolicy}
            description={stepInfo(policy.stepKey)?.description ?? ""}
            models={models.map((m) => ({ id: m.id, price: m.price, unavailableReason: m.unavailableReason }))}
            updatePolicy={updatePolicyAction}
            previewPolicy={whatIfPolicyAction}
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
