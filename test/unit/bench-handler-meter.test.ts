/**
 * The invocation tallies of bench/lifecycle-wcu.ts (bench/handler-meter.ts and the per-side figures of
 * bench/lifecycle-report.ts): calls counted per function and stage, lines filed under the call that wrote
 * them, and a sweep's work told from its idle runs.
 */
import { describe, expect, it } from 'vitest';
import { HandlerMeter, NO_CALLS, total } from '../../bench/handler-meter.ts';
import { IDLE, sideFigures } from '../../bench/lifecycle-report.ts';
import { asOnAws, platformBytes } from '../../bench/log-bytes.ts';

const logLine = (fn: string, message = 'done') => `${JSON.stringify({ level: 'INFO', message, function_name: fn })}\n`;
const emfLine = (n: number) => `${JSON.stringify({ _aws: { Timestamp: 1 }, service: 'ankieta', SurveysSent: n })}\n`;
const bytes = (line: string) => Buffer.byteLength(asOnAws(line));

function meterAt(where: { at: string }) {
  return new HandlerMeter(() => where.at);
}

describe('the handler meter', () => {
  it('counts every call under where the benchmark is and the function called', async () => {
    // Prepare
    const where = { at: 'email|event' };
    const meter = meterAt(where);
    // Act
    await meter.onInvoke('ingestEvents', async () => 'ok');
    await meter.onInvoke('ingestEvents', async () => 'ok');
    where.at = 'email|event stream';
    await meter.onInvoke('countFunnel', async () => 'ok');
    // Assess
    expect(meter.invocations.get('email|event|ingestEvents')?.calls).toBe(2);
    expect(meter.invocations.get('email|event stream|countFunnel')?.calls).toBe(1);
    expect(total(meter.invocations, (_c, _s, fn) => fn !== 'countFunnel', NO_CALLS).calls).toBe(2);
  });

  it('files a line under the call that wrote it, whatever function name the line carries', async () => {
    // Prepare
    const meter = meterAt({ at: 'email|send' });
    // Act: two handlers in one process share the logger, so a line may name the other one
    await meter.onInvoke('sendDue', async () => meter.file(logLine('sendDueSms', 'due sweep')));
    // Assess
    expect(meter.logs.get('email|send|sendDue')).toEqual({ bytes: bytes(logLine('sendDueSms', 'due sweep')), lines: 1 });
    expect(meter.logs.has('email|send|sendDueSms')).toBe(false);
    expect(meter.runs.get('email|send|sendDue')).toEqual([{ bytes: bytes(logLine('sendDueSms', 'due sweep')), lines: 1 }]);
  });

  it('files a line written outside a call by its function name, and an EMF line under the last one named', () => {
    // Prepare
    const meter = meterAt({ at: 'sms|answer' });
    // Act
    const filed = [meter.file(logLine('smsInbound')), meter.file(emfLine(1)), meter.file('a progress message\n')];
    // Assess
    expect(filed).toEqual([true, true, false]);
    expect(meter.logs.get('sms|answer|smsInbound')).toEqual({ bytes: bytes(logLine('smsInbound')) + bytes(emfLine(1)), lines: 2 });
  });
});

describe('the figures of one side', () => {
  it('count invocations, our bytes and Lambda lines per survey, the sweeps apart', async () => {
    // Prepare
    const meter = meterAt({ at: 'email|event' });
    for (let i = 0; i < 4; i++) await meter.onInvoke('ingestEvents', async () => meter.file(logLine('ingestEvents')));
    // Act
    const side = sideFigures(meter, (channel) => channel === 'email', 2);
    // Assess
    expect(side.invocations).toBe(2);
    expect(side.logBytes).toBe((4 * bytes(logLine('ingestEvents'))) / 2);
    expect(side.logLines).toBe(2);
    expect(side.platformLogBytes).toBe(2 * platformBytes(false));
    expect(side.traced).toBe(0);
  });

  it('count a sweep once per survey with what its runs with work wrote beyond an idle run, and not its invocations', async () => {
    // Prepare: 10 surveys sent in one run among empty ones; every run writes one EMF line
    const where = { at: 'email|send' };
    const meter = meterAt(where);
    const idleRun = async () => meter.file(emfLine(0));
    for (let i = 0; i < 3; i++) await meter.onInvoke('sendDue', idleRun);
    await meter.onInvoke('sendDue', async () => {
      meter.file(logLine('sendDue', 'due sweep'));
      meter.file(emfLine(0));
    });
    where.at = `${IDLE}|send`;
    await meter.onInvoke('sendDue', idleRun);
    // Act
    const side = sideFigures(meter, (channel) => channel === 'email', 10);
    // Assess
    expect(side.invocations).toBe(0);
    expect(side.logBytes).toBe(bytes(logLine('sendDue', 'due sweep')));
    expect(side.logLines).toBe(1);
  });
});
