import type { ContentType, Network } from '../../core/vocabulary';

/** Pure rules for the links content is logged by: which are accepted, when two are the same piece, what they say. */

/** http(s) only; anything else (javascript:, ftp:, no scheme) is refused. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The key two links to the same piece compare by: scheme and `www.` ignored, host lower-case,
 * no fragment, no trailing slash. Query strings are kept (YouTube's `?v=` is the video).
 */
export function urlKey(value: string): string {
  const url = new URL(value);
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const path = url.pathname.replace(/\/+$/, '');
  return `${host}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
}

/** What a link says about where and what it is: instagram.com/reel/... is an Instagram reel. */
export function guessFromUrl(value: string): { network?: Network; type?: ContentType } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {};
  }
  const host = url.hostname.toLowerCase().replace(/^(www|m|vm)\./, '');
  const path = url.pathname.toLowerCase();
  if (host === 'instagram.com') {
    return { network: 'instagram', type: path.startsWith('/reel') ? 'reel' : path.startsWith('/stories') ? 'story' : path.startsWith('/p/') ? 'post' : undefined };
  }
  if (host === 'tiktok.com') return { network: 'tiktok', type: path.includes('/live') ? 'stream' : 'video' };
  if (host === 'youtube.com' || host === 'youtu.be') {
    return { network: 'youtube', type: path.startsWith('/shorts') ? 'short' : path.startsWith('/live') ? 'stream' : 'video' };
  }
  if (host === 'x.com' || host === 'twitter.com') return { network: 'x', type: 'post' };
  if (host === 'twitch.tv') return { network: 'twitch', type: 'stream' };
  if (host === 'linkedin.com') return { network: 'linkedin', type: 'post' };
  if (host === 'pinterest.com' || host.endsWith('.pinterest.com') || host === 'pin.it') return { network: 'pinterest', type: 'post' };
  return {};
}
