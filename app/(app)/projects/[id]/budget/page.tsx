import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApproveOverspendForm, BudgetForm } from "@/components/budgets/budget-forms";
import { formatUsd } from "@/components/format";
import { PageError } from "@/components/page-error";
import { StatusBadge } from "@/components/status/status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { canDo } from "@/lib/access";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { budgetBlock } from "@/lib/pipeline/schema";
import { listRuns } from "@/lib/pipeline/service";
import { getProject, getProjectBudget } from "@/lib/projects/service";
import { stageLabels } from "@/lib/stages/stages";
import { approveOverspendAction, setRunBudgetAction, updateProjectBudgetAction } from "./actions";

export const metadata: Metadata = { title: "Budget" };

const limitNames = { project: "the project's budget", run: "the run's budget", step_call: "the step's per-call limit" } as const;

export default async function BudgetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const project = await settle(getProject(actor, id));
  if (!project.ok) {
    if (project.error.code === "not_found") notFound();
    return <PageError error={project.error} />;
  }
  const [budget, runs, mayManage] = await Promise.all([getProjectBudget(actor, id), listRuns(actor, id), canDo(actor, "budgets:manage", { projectId: id })]);
  const blocked = runs.flatMap((run) => {
    const block = budgetBlock(run);
    return block ? [{ run, block }] : [];
  });

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/projects/${id}`} className="hover:text-zinc-900 hover:underline">
            {project.data.name}
          </Link>
        }
        title="Budget"
        description="Before every model call its cost is estimated from the prompt's size and the model's price; a call that would go over the project's budget, the run's budget or the step's per-call limit is not made, and its run waits as blocked until an admin raises the budget or approves the overspend."
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          {blocked.map(({ run, block }) => (
            <Card key={run.id} data-testid="blocked-run">
              <CardHeader
                title={
                  <span className="inline-flex items-center gap-2">
                    {stageLabels[run.stage]} run <StatusBadge kind="run" status={run.status} />
                  </span>
                }
                description={`Stopped by ${limitNames[block.limit]}: ${formatUsd(block.spentUsd)} spent of ${formatUsd(block.limitUsd)}, next call estimated at ${formatUsd(block.estimatedCostUsd)}.`}
                actions={
                  <Link href={`/runs/${run.id}`} className="text-xs font-medium text-accent-700 hover:underline">
                    See the run
                  </Link>
                }
              />
              <CardBody className="space-y-4">
                <Alert tone="warning">{block.message}</Alert>
                {mayManage ? (
                  <div className="grid gap-4 sm:grid-cols-2">
                    <ApproveOverspendForm projectId={id} runId={run.id} approve={approveOverspendAction} />
                    <BudgetForm label="The run's budget" what="The run's budget" hidden={{ projectId: id, runId: run.id }} current={run.budgetUsd} save={setRunBudgetAction} />
                  </div>
                ) : (
                  <p className="text-xs text-zinc-600">An admin can raise the budget or approve the overspend; the run then continues on its own.</p>
                )}
              </CardBody>
            </Card>
          ))}
          <Card>
            <CardHeader title="Runs" description="What each run's model calls cost, against its own budget." />
            {runs.length === 0 ? (
              <CardBody>
                <EmptyState title="No runs yet">Runs of any stage of this project show here with what they cost.</EmptyState>
              </CardBody>
            ) : (
              <Table aria-label="Runs and their cost">
                <THead>
                  <tr>
                    <TH>Stage</TH>
                    <TH>Status</TH>
                    <TH>Queued</TH>
                    <TH className="text-right">Cost</TH>
                    <TH className="text-right">Run budget</TH>
                  </tr>
                </THead>
                <tbody>
                  {runs.map((run) => (
                    <TR key={run.id}>
                      <TD>
                        <Link href={`/runs/${run.id}`} className="font-medium text-accent-700 hover:underline">
                          {stageLabels[run.stage]}
                        </Link>
                      </TD>
                      <TD>
                        <StatusBadge kind="run" status={run.status} />
                      </TD>
                      <TD className="text-xs">
                        <Time iso={run.createdAt} />
                      </TD>
                      <TD className="text-right tabular-nums">{formatUsd(run.costUsd)}</TD>
                      <TD className="text-right tabular-nums">{run.budgetUsd === null ? "no limit" : formatUsd(run.budgetUsd)}</TD>
                    </TR>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>
        <Card className="self-start">
          <CardHeader title="Project budget" description="For every model call of every run of the project." />
          <CardBody className="space-y-3">
            <dl className="grid grid-cols-2 gap-2 text-sm">
              <dt className="text-zinc-500">Budget</dt>
              <dd className="text-right tabular-nums" data-testid="project-budget">
                {budget.budgetUsd === null ? "no limit" : formatUsd(budget.budgetUsd)}
              </dd>
              <dt className="text-zinc-500">Spent so far</dt>
              <dd className="text-right tabular-nums" data-testid="project-spent">
                {formatUsd(budget.spentUsd)}
              </dd>
            </dl>
            {mayManage ? (
              <BudgetForm label="The project's budget" what="The project's budget" hidden={{ projectId: id }} current={budget.budgetUsd} save={updateProjectBudgetAction} />
            ) : (
              <p className="text-xs text-zinc-600">Only admins set budgets.</p>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
