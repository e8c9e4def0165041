// Text into the HTML part of a mail (element content and quoted attribute values alike). Mails are
// built as strings where no JSX renderer is at hand; one escaper keeps them from drifting apart.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
