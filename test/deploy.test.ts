import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * No container runtime exists on this project's machines, so the image is not built here. These
 * checks hold the Dockerfile and compose.yaml to what the code and .ci/run do.
 */
const read = (file: string) => readFileSync(file, 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; license?: string };

describe('deploy files', () => {
  it('GIVEN the Dockerfile THEN it starts the bot the way npm start does, as a non-root user, with a health check on /healthz', () => {
    const dockerfile = read('Dockerfile');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd && (JSON.parse(cmd) as string[]).join(' ')).toBe(pkg.scripts.start);
    expect(/^USER node$/m.test(dockerfile)).toBe(true);
    expect(/^HEALTHCHECK [\s\S]*\/healthz/m.test(dockerfile)).toBe(true);
    expect((dockerfile.match(/^FROM /gm) ?? []).length).toBeGreaterThan(1);
  });

  it('GIVEN .ci/run THEN the Dockerfile runs its steps', () => {
    const ci = read('.ci/run');
    const dockerfile = read('Dockerfile');
    for (const step of ['npm ci', 'bash src/db/stand-in/install.sh', 'npm test']) {
      expect({ step, inCi: ci.includes(step), inDockerfile: dockerfile.includes(step) }).toEqual({ step, inCi: true, inDockerfile: true });
    }
  });

  it('GIVEN compose.yaml THEN the bot gets a MongoDB service through MONGODB_URI and a grace period above the 10 s shutdown', () => {
    const compose = read('compose.yaml');
    expect(compose).toContain('image: mongo:');
    expect(compose).toContain('MONGODB_URI: mongodb://mongo:27017/irm');
    expect(compose).toContain('stop_grace_period: 15s');
  });

  it('GIVEN LICENSE THEN it is the MIT licence', () => {
    expect(read('LICENSE').split('\n')[0]).toBe('MIT License');
  });
});
