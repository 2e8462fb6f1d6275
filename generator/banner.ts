/** The provenance banner of every generated file. */
export function banner(generator: string, comment: '//' | '/*' | '#' | '--' | 'md'): string {
  const text = `Generated from spec/ by ${generator} (npm run generate). Do not edit.`;
  switch (comment) {
    case '//':
      return `// ${text}`;
    case '/*':
      return `/* ${text} */`;
    case '#':
      return `# ${text}`;
    case '--':
      return `-- ${text}`;
    case 'md':
      return `<!-- ${text} -->`;
  }
}
