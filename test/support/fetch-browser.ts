// A browser without JavaScript over real HTTP (fetch): a cookie jar that any origin may read, so
// a test can sign in on one shop instance and carry the same cookies to another, as a load
// balancer in front of several instances would. Redirects are not followed (tests look at them).
export interface FetchBrowser {
  jar: Map<string, string>;
  get(url: string): Promise<{ status: number; body: string; location: string | null }>;
  post(url: string, form: Record<string, string>): Promise<{ status: number; body: string; location: string | null }>;
}

export function fetchBrowser(): FetchBrowser {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()));
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const send = async (url: string, init: RequestInit) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookie() } });
    remember(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  };
  return {
    jar,
    get: (url) => send(url, { method: 'GET' }),
    post: (url, form) => send(url, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  };
}
