import { OutputStream } from './io';

/**
 * A single status line on a terminal's stderr, rewritten in place and erased before real output.
 * On a pipe or file it prints nothing: logs should not collect progress noise.
 */
export class Progress {
  private shown = false;

  constructor(private readonly stream: OutputStream) {}

  public status(text: string): void {
    if (!this.stream.isTTY) return;
    this.stream.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }

  public clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}
