import { isInterim } from './framing.js';
import type { ReceiveBuffer } from './receive-buffer.js';
import { ResponseHeadReader, type HeadLimits, type ResponseHead } from './response-head.js';

/**
 * Reads response heads until the final one, skipping interim (1xx) responses. Interim heads share the head limit with
 * the final one, so their number is bounded too.
 */
export class FinalHeadReader {
  private reader: ResponseHeadReader;

  constructor(private readonly limits: HeadLimits) {
    this.reader = new ResponseHeadReader(limits);
  }

  /**
   * The final head from `buf`, calling `pull` (which appends to `buf`, false when nothing came) whenever more bytes
   * are needed; null when none are there right now. Throws {@link ProtocolError} on a bad head.
   */
  read(buf: ReceiveBuffer, pull: () => boolean): ResponseHead | null {
    for (;;) {
      const head = this.reader.read(buf);
      if (head && isInterim(head.status)) this.reader = new ResponseHeadReader(this.limits, this.reader.consumed);
      else if (head) return head;
      else if (!pull()) return null;
    }
  }
}
