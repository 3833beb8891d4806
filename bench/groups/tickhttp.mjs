// Loading tickhttp bench clients; a layer that does not build yet leaves its figures null with a note.
import { loadClient } from '../build-clients.mjs';

/** The client module `name`, or null (and a note) when it cannot be built. */
export async function tryLoad(ctx, name) {
  try {
    return await loadClient(name);
  } catch (e) {
    const first = String(e instanceof Error ? e.message : e).split('\n').slice(0, 3).join(' | ');
    ctx.note(`tickhttp ${name} client unavailable, its figures are null: ${first}`);
    return null;
  }
}

/**
 * The polled client twice: at Godot's default read chunk (64 KiB), which gives the headline figure, and at the
 * bench's large chunk ('tickhttp polled 4m'), shown beside it.
 */
export function polledPair(polled, port, readChunk) {
  return [
    polled.polledClient({ port, readChunkSize: 65536 }),
    polled.polledClient({ port, readChunkSize: readChunk, name: 'tickhttp polled 4m' }),
  ];
}
