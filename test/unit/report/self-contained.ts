// What makes an HTML report fetch something or run code; shared by the unit and browser tests.

/** Problems that would make a report fetch something or run code. */
export function selfContainmentProblems(html: string): string[] {
  const problems: string[] = [];
  // Attributes of real tags only: escaped text (`&lt;img src=x&gt;`) is not markup.
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const attr of tag[0].matchAll(/\s([^\s=>"']+)\s*=\s*"([^"]*)"/g)) {
      const name = (attr[1] as string).toLowerCase();
      if (['src', 'href', 'xlink:href', 'action', 'poster', 'data', 'srcset', 'background'].includes(name)) problems.push(`${name}="${attr[2]}"`);
      if (name.startsWith('on')) problems.push(`an inline event handler ${name}`);
    }
  }
  if (/https?:\/\//i.test(html)) problems.push('an http(s) URL');
  if (/<script/i.test(html)) problems.push('a script element');
  if (/@import/i.test(html)) problems.push('@import');
  if (/url\(/i.test(html)) problems.push('url(');
  if (/<(link|iframe|object|embed|img|image|use|foreignObject)\b/i.test(html)) problems.push('an element that loads a resource');
  return problems;
}
