import { afterEach, describe, expect, it } from 'vitest';
import { createAddressPolicy, parseCidrList } from './ssrf-guard.js';
import { createWebhookSender } from './webhook-sender.js';
import { type Receiver, startReceiver } from './webhook-test-kit.js';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const post = { headers: {}, body: '{}' };

describe('the SSRF guard', () => {
  const policy = createAddressPolicy();

  it.each([
    ['0.0.0.0', 'this network'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'Alibaba metadata'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:8.8.8.8', 'IPv4-mapped, even a public address'],
    ['64:ff9b::a00:1', 'NAT64'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local, AWS metadata'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['168.63.129.16', 'Azure host endpoint'],
    ['64:ff9b:1::a9fe:a9fe', 'local-use NAT64 of the metadata address'],
    ['2002:a9fe:a9fe::1', '6to4 of the metadata address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ])('blocks %s (%s)', (address) => {
    expect(policy.isAllowed(address)).toBe(false);
  });

  it('lets public addresses through, and the allowlist only what it names', () => {
    expect(policy.isAllowed('93.184.216.34')).toBe(true);
    expect(policy.isAllowed('172.32.0.1')).toBe(true);
    expect(policy.isAllowed('2606:4700::1111')).toBe(true);
    const allowing = createAddressPolicy(parseCidrList('127.0.0.1/32, 10.9.0.0/16'));
    expect(allowing.isAllowed('127.0.0.1')).toBe(true);
    expect(allowing.isAllowed('127.0.0.2')).toBe(false);
    expect(allowing.isAllowed('10.9.200.1')).toBe(true);
    expect(allowing.isAllowed('10.10.0.1')).toBe(false);
    expect(() => parseCidrList('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR');
    expect(() => parseCidrList('example.com/8')).toThrow('is not a CIDR');
  });

  it.each([
    'http://127.0.0.1:9/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://169.254.169.254/latest/meta-data',
  ])('refuses the numeric host of %s without connecting', async (url) => {
    const outcome = await createWebhookSender({ policy, timeoutMs: 1_000 })({ url, ...post });
    expect(outcome.status).toBe(0);
    expect(outcome.error).toMatch(/may not be reached/);
  });

  it('checks a name after resolving it, and connects to the checked address: a name that rebinds to 127.0.0.1 is refused', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    // A resolver that answers what a rebinding attacker's DNS would.
    const rebinding = (
      _host: string,
      callback: (error: Error | null, addresses: { address: string; family: number }[]) => void,
    ) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const send = createWebhookSender({ policy, timeoutMs: 1_000, resolve: rebinding });
    const outcome = await send({ url: `http://rebind.example:${port}/hooks`, ...post });
    // Without the address: the answer must not map a private network's names.
    expect(outcome.error).toBe('rebind.example resolves to an address webhooks may not reach');
    expect(receiver.received).toHaveLength(0);
    // The same name, let through by the allowlist, reaches the address it was checked at.
    const allowed = createWebhookSender({
      policy: createAddressPolicy(['127.0.0.1/32']),
      timeoutMs: 1_000,
      resolve: rebinding,
    });
    expect((await allowed({ url: `http://rebind.example:${port}/hooks`, ...post })).status).toBe(204);
    expect(receiver.received).toHaveLength(1);
  });

  it('does not follow a redirect to a private address: the 3xx is the answer', async () => {
    receiver = await startReceiver();
    receiver.answer = () => ({ status: 307, headers: { Location: 'http://10.0.0.1/internal' } });
    const send = createWebhookSender({ policy: createAddressPolicy(['127.0.0.1/32']), timeoutMs: 1_000 });
    const outcome = await send({ url: receiver.url, ...post });
    expect(outcome.status).toBe(307);
    expect(receiver.received).toHaveLength(1);
  });
});
