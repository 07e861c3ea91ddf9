const shortcuts: [string[], string][] = [
  [["j", "↓"], "Next item"],
  [["k", "↑"], "Previous item"],
  [["a"], "Approve"],
  [["e"], "Edit (another reviewer approves it)"],
  [["r"], "Reject (asks why)"],
  [["c"], "Resolve a conflict (choose sides)"],
  [["Ctrl", "Enter"], "Save the open form"],
  [["Esc"], "Cancel the open form"],
];

export function ShortcutLegend() {
  return (
    <section aria-label="Keyboard shortcuts" className="rounded-lg border border-zinc-200 bg-white p-3 text-xs shadow-xs">
      <h2 className="mb-2 font-semibold text-zinc-700">Keyboard shortcuts</h2>
      <dl className="space-y-1.5">
        {shortcuts.map(([keys, label]) => (
          <div key={label} className="flex items-center justify-between gap-2">
            <dt className="flex gap-1">
              {keys.map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd className="text-zinc-600">{label}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
