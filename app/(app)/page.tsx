import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { NotificationList } from "@/components/notifications/notification-list";
import { NewProjectForm } from "@/components/projects/new-project-form";
import { StageProgress } from "@/components/projects/stage-progress";
import { StatusBadge } from "@/components/status/status-badge";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canDo } from "@/lib/access";
import { requireActor } from "@/lib/auth";
import { unreadNotifications } from "@/lib/notifications/service";
import { listProjects } from "@/lib/projects/service";
import { pendingReviewCount } from "@/lib/review/views";
import { newProjectPeople } from "@/lib/stages/service";
import { ownedStages, type OwnedStage } from "@/lib/stages/views";
import { markNotificationsReadAction } from "./actions";
import { createProjectAction } from "./projects/actions";

export const metadata: Metadata = { title: "Your work" };

export default async function HomePage() {
  const actor = await requireActor();
  const [pending, stages, projects, mayCreate, notifications, people] = await Promise.all([
    pendingReviewCount(actor),
    ownedStages(actor),
    listProjects(actor),
    canDo(actor, "projects:create"),
    unreadNotifications(actor.userId),
    newProjectPeople(actor),
  ]);
  const activeStages = stages.filter((stage) => stage.status === "open");
  const lockedCount = stages.filter((stage) => stage.status === "locked").length;
  const signedCount = stages.filter((stage) => stage.status === "signed_off").length;

  return (
    <>
      <PageHeader
        title="Your work"
        description="AI drafts requirements and stories from your sources; routing rules send the risky ones to people. Decide what is waiting for you, and sign off the stages you own."
      />
      {notifications.length > 0 ? (
        <Card id="notifications" className="mb-4 scroll-mt-16" data-testid="notifications">
          <CardHeader title={`Notifications (${notifications.length} unread)`} description="Changes about your stages that happened without you." />
          <NotificationList
            notifications={notifications.map((n) => ({ id: n.id, kind: n.kind, message: n.message, link: n.link, createdAt: n.createdAt }))}
            markRead={markNotificationsReadAction}
          />
        </Card>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card data-testid="my-reviews">
          <CardHeader title="Waiting for your review" description="Drafts in stages where you are a reviewer." />
          <CardBody className="flex items-end justify-between gap-4">
            <div>
              <p className="text-3xl font-semibold tabular-nums text-zinc-900">{pending}</p>
              <p className="text-xs text-zinc-500">{pending === 1 ? "item needs a decision" : "items need a decision"}</p>
            </div>
            <ButtonLink href="/review" variant={pending > 0 ? "primary" : "secondary"} size="sm">
              {pending > 0 ? "Open the queue" : "View queue"}
            </ButtonLink>
          </CardBody>
        </Card>

        <Card className="lg:col-span-2" data-testid="my-stages">
          <CardHeader
            title="Stages you own"
            description="You run these stages and sign them off. Signing off unlocks the next stage."
          />
          {stages.length === 0 ? (
            <CardBody>
              <p className="text-sm text-zinc-500">
                {actor.role === "admin"
                  ? "You do not own any stage. As an admin, you name each stage's owner and reviewers on its stage page."
                  : "You do not own any stage yet. An admin names stage owners on each stage page."}
              </p>
            </CardBody>
          ) : (
            <>
              <ul className="divide-y divide-zinc-100">
                {activeStages.map((stage) => (
                  <OwnedStageRow key={`${stage.projectId}:${stage.key}`} stage={stage} />
                ))}
              </ul>
              <CardBody className="border-t border-zinc-100 text-xs text-zinc-500">
                {activeStages.length === 0 ? "None of your stages is open right now. " : ""}
                {lockedCount} locked (waiting for an earlier stage) · {signedCount} signed off
              </CardBody>
            </>
          )}
        </Card>
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Projects" description="Each project moves through seven stages, from requirements to operations." />
          {projects.length === 0 ? (
            <CardBody>
              <EmptyState title="No projects yet">
                {mayCreate ? "Create one with the form on the right, then add stakeholder notes as sources." : "Ask an admin to add you to a project."}
              </EmptyState>
            </CardBody>
          ) : (
            <ul className="divide-y divide-zinc-100" aria-label="Projects">
              {projects.map((project) => (
                <li key={project.id} data-testid="project-row" className="grid grid-cols-1 gap-3 px-4 py-3 sm:grid-cols-[1fr_14rem]">
                  <div className="min-w-0">
                    <Link href={`/projects/${project.id}`} className="font-medium text-zinc-900 hover:text-accent-700 hover:underline">
                      {project.name}
                    </Link>
                    {project.brief ? <p className="mt-0.5 line-clamp-2 text-xs text-zinc-500">{project.brief}</p> : null}
                    <p className="mt-1 text-xs text-zinc-500">
                      {project.sourceCount} source{project.sourceCount === 1 ? "" : "s"}
                    </p>
                  </div>
                  <StageProgress stages={project.stages} />
                </li>
              ))}
            </ul>
          )}
        </Card>

        {mayCreate ? (
          <Card>
            <CardHeader title="New project" description="You become its first member. Its Requirements stage opens at once." />
            <CardBody>
              <NewProjectForm createProject={createProjectAction} people={people} creatorEmail={actor.email} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function OwnedStageRow({ stage }: { stage: OwnedStage }) {
  const href = `/projects/${stage.projectId}/stages/${stage.key}`;
  let state: ReactNode = null;
  if (stage.readyToSignOff) state = <Badge tone="green">Ready to sign off</Badge>;
  else if (stage.drafting) state = <Badge tone="blue">AI is drafting</Badge>;
  else if (stage.openConflicts > 0)
    state = (
      <Badge tone="red">
        {stage.openConflicts} open conflict{stage.openConflicts === 1 ? "" : "s"}
      </Badge>
    );
  else if (stage.pending > 0)
    state = (
      <Badge tone="amber">
        {stage.pending} pending review
      </Badge>
    );
  else if (stage.approved === 0) state = <Badge tone="grey">Not run yet</Badge>;
  return (
    <li className="flex items-center justify-between gap-3 px-4 py-2.5" data-testid={`owned-stage-${stage.key}`}>
      <div className="min-w-0">
        <Link href={href} className="text-sm font-medium text-zinc-900 hover:text-accent-700 hover:underline">
          {stage.label}
        </Link>
        <span className="ml-2 text-xs text-zinc-500">{stage.projectName}</span>
        {stage.blockedBy && !stage.drafting ? (
          <p className="line-clamp-1 text-xs text-zinc-500" title={stage.blockedBy}>
            {stage.blockedBy}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        <StatusBadge kind="stage" status={stage.status} />
        {state}
      </div>
    </li>
  );
}
