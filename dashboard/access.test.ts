import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { basicAuthHeader } from '../lib/basic-auth.ts';
import { dashboardNeedsAuth, protectDashboard, type DashboardAuthSetting } from './access.ts';

describe('dashboardNeedsAuth', () => {
  it.each<[boolean, string, DashboardAuthSetting, boolean]>([
    [false, '127.0.0.1', 'auto', false],
    [false, 'localhost', 'auto', false],
    [false, '::1', 'auto', false],
    [false, '[::1]', 'auto', false],
    [false, '0.0.0.0', 'auto', true],
    [false, '::', 'auto', true],
    [false, '192.168.1.20', 'auto', true],
    [true, '127.0.0.1', 'auto', true],
    [false, '127.0.0.1', 'on', true],
    [false, '0.0.0.0', 'off', false],
  ])('secure %s, host %s, setting %s: %s', (secure, host, setting, expected) => {
    expect(dashboardNeedsAuth({ secure, host, setting })).toBe(expected);
  });

  it('refuses to open the dashboard in secure mode, and settings it does not know', () => {
    expect(() => dashboardNeedsAuth({ secure: true, host: '127.0.0.1', setting: 'off' })).toThrow(
      /--dashboard-auth off is refused in secure mode/,
    );
    expect(() =>
      dashboardNeedsAuth({ secure: false, host: '127.0.0.1', setting: 'maybe' as DashboardAuthSetting }),
    ).toThrow(/--dashboard-auth maybe is not one of auto, on, off/);
  });
});

describe('protectDashboard', () => {
  const credentials = { user: 'admin', password: 'pa55' };
  const app = Fastify();
  protectDashboard(app, credentials);
  for (const path of ['/ui', '/ui/', '/ui/api/events', '/ui/api/view', '/ui/app.js', '/other', '/uix'])
    app.get(path, async () => 'ok');

  it.each(['/ui', '/ui/', '/ui/api/events', '/ui/api/view?x=1', '/ui/app.js'])(
    'answers %s 401 with a Basic challenge without credentials',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    },
  );

  it.each(['/ui//', '/%75i/', '/UI/', '/ui/../ui/'])(
    'never serves the spelling %s without credentials',
    async (url) => {
      expect([401, 404]).toContain((await app.inject({ url })).statusCode);
    },
  );

  it('answers with the right credentials only, and leaves other routes alone', async () => {
    const wrong = basicAuthHeader({ user: 'admin', password: 'nope' });
    expect((await app.inject({ url: '/ui/', headers: { authorization: wrong } })).statusCode).toBe(401);
    const right = basicAuthHeader(credentials);
    expect((await app.inject({ url: '/ui/api/events', headers: { authorization: right } })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: '/other' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/uix' })).statusCode).toBe(200);
  });
});
