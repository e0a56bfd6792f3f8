/**
 * History that lasts: the {@link io.github.wschat.history.HistoryStore} SPI beside the broker — the
 * broker orders a room's events and fans them out, the store keeps them — and its in-memory
 * implementation. A server with a store writes every public event it places or delivers there, in
 * batches, off the transport threads, once per position ({@code room, epoch, seq}); members page back
 * through it ({@code {"type":"history",…}}) and resume from it past what memory or the broker holds.
 */
package io.github.wschat.history;
