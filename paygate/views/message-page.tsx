// A plain message with an optional way out: unknown payment, payment no longer open,
// expired form.
import type { VNode } from 'preact';
import type { Locale } from './hosted-page-messages.ts';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

export interface MessagePageProps {
  locale: Locale;
  nonce: string;
  title: string;
  text: string;
  link?: { href: string; label: string };
}

function MessagePage(p: MessagePageProps): VNode {
  return (
    <PageLayout lang={p.locale} title={p.title} nonce={p.nonce}>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      {p.link && <p><a href={p.link.href}>{p.link.label}</a></p>}
    </PageLayout>
  );
}

export function renderMessagePage(props: MessagePageProps): string {
  return renderHtmlDocument(<MessagePage {...props} />);
}
