/** The demo workspace's people (their password is DEMO_PASSWORD, or one printed once). */
export const demoAccounts = {
  admin: { email: "admin@demo.local", name: "Ada Admin", role: "admin" },
  owner: { email: "owner@demo.local", name: "Omar Owner", role: "member" },
  reviewer: { email: "reviewer@demo.local", name: "Rita Reviewer", role: "member" },
  /** A second reviewer: an edited draft needs someone other than its editor to approve it. */
  reviewer2: { email: "reviewer2@demo.local", name: "Ravi Reviewer", role: "member" },
} as const;
