/** The plan tables of the live plan (addresses, ASNs, MTUs, VNIs, sessions, cabling), filterable. */

import { useDeferredValue, useState } from "react";

import type { PlanTable } from "../server/types";

const SHOWN_ROWS = 300;

export function PlanPanel({ tables }: { tables: PlanTable[] }) {
  const [chosen, setChosen] = useState("asn");
  const [filter, setFilter] = useState("");
  const deferredFilter = useDeferredValue(filter.trim().toLowerCase());
  if (tables.length === 0) return <p className="muted">The plan appears here once the design can be planned.</p>;
  const table = tables.find((candidate) => candidate.name === chosen) ?? tables[0];
  const rows = deferredFilter
    ? table.rows.filter((row) => Object.values(row).some((cell) => String(cell).toLowerCase().includes(deferredFilter)))
    : table.rows;
  return (
    <div className="plan-panel">
      <div className="plan-controls">
        <label htmlFor="plan-table">Table</label>
        <select id="plan-table" value={table.name} onChange={(event) => setChosen(event.currentTarget.value)}>
          {tables.map((candidate) => <option key={candidate.name} value={candidate.name}>{candidate.title} ({candidate.rows.length})</option>)}
        </select>
        <label htmlFor="plan-filter">Filter</label>
        <input id="plan-filter" type="search" value={filter} onChange={(event) => setFilter(event.currentTarget.value)} />
      </div>
      <div className="plan-table-wrap">
        <table className="plan-table" data-table={table.name}>
          <thead><tr>{table.columns.map((column) => <th key={column} scope="col">{column}</th>)}</tr></thead>
          <tbody>
            {rows.slice(0, SHOWN_ROWS).map((row, index) => (
              <tr key={index}>{table.columns.map((column) => <td key={column}>{row[column]}</td>)}</tr>
            ))}
          </tbody>
        </table>
        {rows.length > SHOWN_ROWS && <p className="muted">{rows.length - SHOWN_ROWS} more rows: filter to find them.</p>}
      </div>
    </div>
  );
}
