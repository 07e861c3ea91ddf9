import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { PageError } from "@/components/page-error";
import { canDo } from "@/lib/access";
import { requireActor } from "@/lib/auth";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  if (!(await canDo(actor, "users:manage")) && !(await canDo(actor, "policies:manage"))) {
    return <PageError error={{ code: "forbidden", message: "Only admins can manage users and step policies. Ask an admin if you need a change." }} />;
  }
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
