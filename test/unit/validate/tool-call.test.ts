import { describe, expect, it } from 'vitest';
import { toolCall } from '../../../lib/validate/index';
import { completion, text, toolCalls } from './fixtures';

const weatherArgs = {
  type: 'object',
  required: ['city'],
  additionalProperties: false,
  properties: { city: { type: 'string', minLength: 1 }, unit: { enum: ['c', 'f'] } },
};

describe('toolCall', () => {
  it('passes a response with any tool call when no name or schema is given', () => {
    expect(toolCall().validate(toolCalls({ name: 'search', arguments: '{"q":"k6"}' }))).toEqual({ valid: true, issues: [] });
  });

  it('reports a response without tool calls at /toolCalls with keyword toolCall', () => {
    expect(toolCall({ name: 'get_weather' }).validate(text('It is sunny.')).issues).toEqual([
      { validator: 'toolCall', path: '/toolCalls', keyword: 'toolCall', message: 'missing tool call: expected a call to "get_weather", got none' },
    ]);
  });

  it('reports calls to other tools by name when the named tool was not called', () => {
    const r = toolCall({ name: 'get_weather' }).validate(toolCalls({ name: 'search', arguments: '{}' }, { name: 'lookup', arguments: '{}' }));
    expect(r.issues[0]?.message).toBe('missing tool call: expected a call to "get_weather", got calls to "search", "lookup"');
  });

  it('passes valid arguments against argsSchema', () => {
    const v = toolCall({ name: 'get_weather', argsSchema: weatherArgs });
    expect(v.validate(toolCalls({ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' })).valid).toBe(true);
  });

  it('reports schema failures of the arguments at /toolCalls/<index>/arguments plus the ajv path', () => {
    const v = toolCall({ name: 'get_weather', argsSchema: weatherArgs });
    const r = v.validate(toolCalls({ name: 'search', arguments: '{}' }, { name: 'get_weather', arguments: '{"city":"","unit":"kelvin","day":1}' }));
    expect(r.issues).toEqual([
      { validator: 'toolCall', path: '/toolCalls/1/arguments', keyword: 'additionalProperties', message: 'must NOT have additional properties: "day"' },
      { validator: 'toolCall', path: '/toolCalls/1/arguments/city', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' },
      { validator: 'toolCall', path: '/toolCalls/1/arguments/unit', keyword: 'enum', message: 'must be equal to one of the allowed values' },
    ]);
  });

  it('reports arguments that are not JSON (a truncated stream) with keyword json', () => {
    const r = toolCall({ argsSchema: weatherArgs }).validate(toolCalls({ name: 'get_weather', arguments: '{"city":"Par' }));
    expect(r.valid).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ path: '/toolCalls/0/arguments', keyword: 'json' });
    expect(r.issues[0]?.message).toMatch(/^invalid tool arguments: expected JSON, got "\{\\"city\\":\\"Par" \(/);
  });

  it('checks every call to the named tool, so one bad call among parallel calls fails', () => {
    const r = toolCall({ name: 'get_weather', argsSchema: weatherArgs }).validate(
      toolCalls({ name: 'get_weather', arguments: '{"city":"Paris"}' }, { name: 'get_weather', arguments: '{"unit":"c"}' }),
    );
    expect(r.issues.map((i) => `${i.path} ${i.keyword}`)).toEqual(['/toolCalls/1/arguments required']);
  });

  it('reads empty arguments as {} (a call without parameters), which then meets the schema or not', () => {
    const noParams = toolCall({ argsSchema: { type: 'object', maxProperties: 0 } });
    expect(noParams.validate(toolCalls({ name: 'now', arguments: '' })).valid).toBe(true);
    expect(toolCall({ argsSchema: weatherArgs }).validate(toolCalls({ name: 'get_weather', arguments: '  ' })).issues[0]?.keyword).toBe('required');
  });

  it('passes a response without the call when required is false, but still checks calls that are there', () => {
    const v = toolCall({ name: 'get_weather', argsSchema: weatherArgs, required: false });
    expect(v.validate(text('No tool needed.'))).toEqual({ valid: true, issues: [] });
    expect(v.validate(toolCalls({ name: 'get_weather', arguments: '{}' })).valid).toBe(false);
  });

  it('treats a completion without toolCalls as having none', () => {
    expect(toolCall().validate({ text: 'hi' }).issues[0]?.message).toBe('missing tool call: expected a call, got none');
  });

  it('throws at construction on an invalid argsSchema', () => {
    expect(() => toolCall({ argsSchema: { type: 'object', required: 'city' } })).toThrow('schema is invalid: data/required must be array');
  });

  it('leaves the rest of the completion alone', () => {
    const c = completion({ toolCalls: [{ id: 'a', name: 'x', arguments: '{}' }] });
    const before = JSON.stringify(c);
    toolCall({ argsSchema: weatherArgs }).validate(c);
    expect(JSON.stringify(c)).toBe(before);
  });
});
