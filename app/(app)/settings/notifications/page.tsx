import type { Metadata } from "next";
import { PreferenceForm } from "@/components/notifications/preference-form";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth";
import { smtpConfigured } from "@/lib/notifications/email";
import { notificationPreferences } from "@/lib/notifications/service";
import { updateNotificationPreferencesAction } from "./actions";

export const metadata: Metadata = { title: "Notification settings" };

export default async function NotificationSettingsPage() {
  const actor = await requireActor();
  const preferences = await notificationPreferences(actor.userId);
  return (
    <>
      <PageHeader title="Notification settings" description="Every notification is in your inbox. Choose whether it also reaches you by email." />
      <Card className="max-w-2xl">
        <CardHeader
          title="Email"
          description={
            smtpConfigured()
              ? `Sent to ${actor.email}.`
              : `This server sends no email yet (no SMTP server is configured): emails for ${actor.email} are kept for admins to read.`
          }
        />
        <CardBody>
          <PreferenceForm current={preferences.email} save={updateNotificationPreferencesAction} />
        </CardBody>
      </Card>
    </>
  );
}
