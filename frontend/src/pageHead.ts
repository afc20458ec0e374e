/** The design page's heading, outside the canvas: kept telling the revision the canvas stands on. */

/** Show revision `number` (and its message) in the heading, and make its YAML link download that revision. */
export function showRevision(number: number, message: string, yamlUrl: string): void {
  const label = document.querySelector<HTMLElement>("[data-design-revision]");
  if (label) label.textContent = `revision ${number}${message ? ` (${message})` : ""}`;
  const link = document.querySelector<HTMLAnchorElement>("[data-design-yaml]");
  if (link) link.href = yamlUrl;
}
