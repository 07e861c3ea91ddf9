"use client";

import { filledBins, type ReliabilityBin } from "./reliability-bins";
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, ZAxis } from "recharts";

type Point = { predicted: number; observed: number; count: number; range: string };

/**
 * Predicted vs observed per bin: on the diagonal, "0.8 likely" drafts were approved unchanged
 * 80% of the time. Dot size follows the bin's count. The same figures are in the table beside
 * it, which is what screen readers read.
 */
export function ReliabilityChart({ bins, label }: { bins: ReliabilityBin[]; label: string }) {
  const points: Point[] = filledBins(bins).map((bin) => ({ predicted: bin.meanPredicted, observed: bin.observed, count: bin.count, range: `${bin.from.toFixed(1)}–${bin.to.toFixed(1)}` }));
  return (
    <div role="img" aria-label={label} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 0 }}>
          <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="predicted"
            domain={[0, 1]}
            ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            tick={{ fontSize: 11, fill: "#52525b" }}
            label={{ value: "Predicted (calibrated probability)", position: "insideBottom", offset: -12, fontSize: 11, fill: "#52525b" }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            tick={{ fontSize: 11, fill: "#52525b" }}
            width={36}
            label={{ value: "Observed", angle: -90, position: "insideLeft", offset: 10, fontSize: 11, fill: "#52525b" }}
          />
          <ZAxis type="number" dataKey="count" range={[30, 300]} />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#a1a1aa"
            strokeDasharray="4 4"
            ifOverflow="extendDomain"
          />
          <Line type="linear" dataKey="observed" stroke="#0f766e" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          <Scatter dataKey="observed" fill="#0f766e" isAnimationActive={false} />
          <Tooltip
            formatter={(value, name) => [typeof value === "number" ? value.toFixed(2) : String(value), name === "observed" ? "Observed" : String(name)]}
            labelFormatter={(_, payload) => {
              const point = payload?.[0]?.payload as Point | undefined;
              return point ? `Bin ${point.range}: ${point.count} draft${point.count === 1 ? "" : "s"}, predicted ${point.predicted.toFixed(2)}` : "";
            }}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
