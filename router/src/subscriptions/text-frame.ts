/**
 * One final, unmasked WebSocket text frame (RFC 6455 §5.2) holding `parts`
 * back to back: what a server sends. Framing the bytes ourselves lets a
 * delivery be a single socket write of a single buffer.
 */
export const textFrame = (parts: readonly Buffer[]): Buffer => {
  let length = 0;
  for (const part of parts) length += part.length;
  const headerLength = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let offset = headerLength;
  for (const part of parts) offset += part.copy(frame, offset);
  return frame;
};
