import Handlebars from 'handlebars';

/**
 * Checks that a template compiles; returns the parser's message when it does not. Apart from
 * rendering (render-email.ts), so that reading a program file does not load the Markdown
 * renderer: `tandem match --program` loads it on its way to scoring.
 */
export function templateError(source: string): string | undefined {
  try {
    Handlebars.precompile(source);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
