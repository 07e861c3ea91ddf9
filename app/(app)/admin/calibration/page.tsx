import type { Metadata } from "next";
import { CalibrationSlice } from "@/components/admin/calibration-view";
import { RefitButton } from "@/components/admin/refit-button";
import { PageError } from "@/components/page-error";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { listStepCalibrations } from "@/lib/learning/service";
import { effectivePolicy } from "@/lib/policies/schema";
import { listPolicies } from "@/lib/policies/service";
import { refitCalibrationAction } from "../actions";

export const metadata: Metadata = { title: "Calibration" };

export default async function CalibrationPage() {
  const actor = await requireActor();
  const [calibrations, policies] = await Promise.all([settle(listStepCalibrations(actor)), settle(listPolicies(actor))]);
  if (!calibrations.ok) return <PageError error={calibrations.error} />;
  if (!policies.ok) return <PageError error={policies.error} />;
  // A category with its own override is judged against its own target.
  const targetsOf = (stepKey: string, category: string, fallback: { targetErrorRate: number; confidenceLevel: number }) => {
    const policy = policies.data.find((candidate) => candidate.stepKey === stepKey);
    return policy ? effectivePolicy(policy.values, category) : fallback;
  };

  return (
    <>
      <PageHeader
        title="Calibration"
        description="How well each step's measured probability predicts what reviewers do, learned from their decisions (approved unchanged, edited, rejected). On the dashed diagonal, drafts predicted 0.8 were approved unchanged 80% of the time. Auto-approval is allowed only where the labels bound the error rate under the policy's target."
      />
      <div className="space-y-4">
        {calibrations.data.map((step) => (
          <Card key={step.stepKey} data-testid={`calibration-${step.stepKey}`}>
            <CardHeader
              title={step.title}
              description={
                step.version === 0 ? (
                  "Not fitted yet: it is fitted once reviewers have decided some drafts."
                ) : (
                  <>
                    Fit version {step.version}
                    {step.fittedAt ? (
                      <>
                        , <Time iso={step.fittedAt} />
                      </>
                    ) : null}
                    {step.reason ? ` (${step.reason})` : ""} · policy version {step.policyVersion}
                  </>
                )
              }
              actions={<RefitButton stepKey={step.stepKey} title={step.title} refit={refitCalibrationAction} />}
            />
            <CardBody className="space-y-5">
              <section aria-label={`${step.title}: all drafts`}>
                <h3 className="mb-2 text-xs font-semibold text-zinc-700">All drafts of this step</h3>
                <CalibrationSlice name={step.title} slice={step} targetErrorRate={step.targetErrorRate} confidenceLevel={step.confidenceLevel} />
              </section>
              {step.categories.length > 0 ? (
                <section aria-label={`${step.title}: by category`} className="border-t border-zinc-100 pt-4">
                  <h3 className="mb-2 text-xs font-semibold text-zinc-700">By category</h3>
                  <div className="grid gap-5 xl:grid-cols-2">
                    {step.categories.map((category) => {
                      const targets = targetsOf(step.stepKey, category.category, step);
                      return (
                      <section key={category.category} aria-label={`Category ${category.category}`} className="rounded-md border border-zinc-200 p-3">
                        <h4 className="mb-2 text-sm font-medium text-zinc-900 capitalize">{category.category.replaceAll("_", " ")}</h4>
                        <CalibrationSlice
                          name={`${step.title}, ${category.category}`}
                          slice={category}
                          targetErrorRate={targets.targetErrorRate}
                          confidenceLevel={targets.confidenceLevel}
                        />
                      </section>
                      );
                    })}
                  </div>
                </section>
              ) : null}
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}
