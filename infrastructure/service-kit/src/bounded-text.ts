/**
 * `text` cut to at most `max` characters, saying how much was left out. Messages
 * that quote what a client sent use it, so a megabyte of input is never echoed
 * back or written to the logs.
 */
export const boundedText = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
