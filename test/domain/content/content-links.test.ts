import { describe, expect, it } from 'vitest';
import { contentTypeOf } from '../../../src/core';
import { guessFromUrl, isHttpUrl, urlKey } from '../../../src/domain/content/content-links';

describe('content types and links', () => {
  it.each([
    ['post', 'post'],
    ['Posts', 'post'],
    ['stories', 'story'],
    ['blog post', 'blog'],
    ['Blog-Posts', 'blog'],
    ['livestream', 'stream'],
    ['shorts', 'short'],
    ['tweet', undefined],
  ])('GIVEN "%s" THEN the content type is %s', (word, type) => {
    expect(contentTypeOf(word)).toBe(type);
  });

  it('GIVEN links THEN only http and https are accepted', () => {
    expect(isHttpUrl('https://www.instagram.com/p/abc/')).toBe(true);
    expect(isHttpUrl('http://blog.example.com/review')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/a', 'www.example.com/a', 'instagram.com/p/abc', 'https://', 'mailto:a@b.c', '']) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });

  it('GIVEN two spellings of the same link THEN they compare equal; different pieces do not', () => {
    expect(urlKey('https://www.Instagram.com/p/ABC/#comments')).toBe(urlKey('http://instagram.com/p/ABC'));
    expect(urlKey('https://youtube.com/watch?v=1')).not.toBe(urlKey('https://youtube.com/watch?v=2'));
    expect(urlKey('https://instagram.com/p/ABC')).not.toBe(urlKey('https://instagram.com/p/abc'));
  });

  it('GIVEN links from the networks THEN the network and type are read from them', () => {
    expect(guessFromUrl('https://www.instagram.com/reel/xyz/')).toEqual({ network: 'instagram', type: 'reel' });
    expect(guessFromUrl('https://instagram.com/p/xyz')).toEqual({ network: 'instagram', type: 'post' });
    expect(guessFromUrl('https://www.instagram.com/stories/zoe/1')).toEqual({ network: 'instagram', type: 'story' });
    expect(guessFromUrl('https://www.youtube.com/shorts/abc')).toEqual({ network: 'youtube', type: 'short' });
    expect(guessFromUrl('https://youtu.be/abc')).toEqual({ network: 'youtube', type: 'video' });
    expect(guessFromUrl('https://vm.tiktok.com/ZM123')).toEqual({ network: 'tiktok', type: 'video' });
    expect(guessFromUrl('https://twitch.tv/zoe')).toEqual({ network: 'twitch', type: 'stream' });
    expect(guessFromUrl('https://blog.example.com/review')).toEqual({});
    expect(guessFromUrl('not a url')).toEqual({});
  });
});
