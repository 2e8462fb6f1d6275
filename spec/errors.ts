/**
 * The closed catalogue of errors the package raises. Each code belongs to one
 * class and names the errno a server answers a message with when it fails
 * this way (EINVAL for nearly everything, as libvfio-user does). The codec
 * raises the first five classes (`VfioUserError`); the session layer
 * (`vfio-user-protocol/session`) adds the `session` class
 * (`VfioUserSessionError`), and raises the codec's `protocol` errors too.
 */

/**
 * The error classes: need more bytes; the bytes are wrong; a limit is
 * exceeded; a value cannot be encoded; a conversation rule is broken; a
 * session request or connection failed; a capture file cannot be read.
 */
export type ErrorClassName = 'truncated' | 'invalid' | 'limit' | 'encode' | 'protocol' | 'session' | 'capture';

export interface ErrorCodeSpec {
  readonly code: string;
  readonly class: ErrorClassName;
  /** errno name a server answers with. */
  readonly errno: 'EINVAL' | 'E2BIG' | 'EPROTO' | 'ENOENT' | 'EEXIST' | 'EFAULT' | 'ETIMEDOUT' | 'ENOSPC' | 'EMFILE' | 'ENOSYS' | 'EIO';
  readonly doc: string;
}

export const errorCodes = [
  { code: 'ERR_NEED_MORE', class: 'truncated', errno: 'EINVAL', doc: 'The input ends before the header or before msg_size bytes: more bytes are needed.' },
  { code: 'ERR_MSG_SIZE_SMALL', class: 'invalid', errno: 'EINVAL', doc: 'msg_size is below 16, the size of the header. A stream cannot be resynchronised after it.' },
  { code: 'ERR_MSG_SIZE_MISMATCH', class: 'invalid', errno: 'EINVAL', doc: 'The input holds more bytes than msg_size says.' },
  { code: 'ERR_BAD_TYPE', class: 'invalid', errno: 'EINVAL', doc: 'The type bits of flags are neither COMMAND (0) nor REPLY (1), or ERROR is set on a command.' },
  { code: 'ERR_UNKNOWN_COMMAND', class: 'invalid', errno: 'EINVAL', doc: 'cmd is not a command this package knows.' },
  { code: 'ERR_ERRNO_RANGE', class: 'invalid', errno: 'EINVAL', doc: 'error_no of an error reply is above maxErrorNo.' },
  { code: 'ERR_BODY_SHORT', class: 'invalid', errno: 'EINVAL', doc: 'The body is shorter than its struct, or than the tail its fields announce.' },
  { code: 'ERR_BODY_LONG', class: 'invalid', errno: 'EINVAL', doc: 'Bytes follow the end of the body its fields describe.' },
  { code: 'ERR_EMPTY_BODY', class: 'invalid', errno: 'EINVAL', doc: 'A body was expected and the message has none, or none was expected and it has one.' },
  { code: 'ERR_BAD_FLAGS', class: 'invalid', errno: 'EINVAL', doc: 'A flags field holds an unknown bit or a combination the protocol forbids.' },
  { code: 'ERR_ARGSZ', class: 'invalid', errno: 'EINVAL', doc: 'argsz is smaller than what the message carries.' },
  { code: 'ERR_BAD_VALUE', class: 'invalid', errno: 'EINVAL', doc: 'A field holds a value the protocol forbids, such as a page size that is not a power of two.' },
  { code: 'ERR_TAIL_LENGTH', class: 'invalid', errno: 'EINVAL', doc: 'A count or size field and the bytes that follow disagree.' },
  { code: 'ERR_CAP_CHAIN', class: 'invalid', errno: 'EINVAL', doc: 'A region-info capability chain loops, points outside the reply, overlaps itself or leaves bytes unaccounted for.' },
  { code: 'ERR_STRIDE', class: 'invalid', errno: 'EINVAL', doc: 'An IO_FDS reply\'s entries are neither 40 nor 48 bytes each.' },
  { code: 'ERR_FEATURE_PAYLOAD', class: 'invalid', errno: 'EINVAL', doc: 'A DEVICE_FEATURE payload does not have the size its feature and operation require.' },
  { code: 'ERR_JSON_NUL', class: 'invalid', errno: 'EINVAL', doc: 'The capabilities JSON does not end in exactly one NUL byte, or has a NUL inside.' },
  { code: 'ERR_JSON_UTF8', class: 'invalid', errno: 'EINVAL', doc: 'The capabilities JSON is not valid UTF-8.' },
  { code: 'ERR_JSON_SYNTAX', class: 'invalid', errno: 'EINVAL', doc: 'The capabilities JSON is not JSON.' },
  { code: 'ERR_JSON_DUPLICATE_KEY', class: 'invalid', errno: 'EINVAL', doc: 'An object in the capabilities JSON has the same key twice.' },
  { code: 'ERR_CAPS_TYPE', class: 'invalid', errno: 'EINVAL', doc: 'A known capability key has the wrong JSON type or an out-of-range value.' },
  { code: 'ERR_FD_COUNT', class: 'invalid', errno: 'EINVAL', doc: 'The number of file descriptors does not match the command\'s fd rule.' },
  { code: 'ERR_LIMIT', class: 'limit', errno: 'E2BIG', doc: 'A length from the wire exceeds a configured limit (limitName says which).' },
  { code: 'ERR_MESSAGE_TOO_LARGE', class: 'limit', errno: 'EINVAL', doc: 'msg_size exceeds maxMessageSize. The framer can skip the message and go on.' },
  { code: 'ERR_ENCODE_FIELD', class: 'encode', errno: 'EINVAL', doc: 'A field value is outside its wire type (or of the wrong JavaScript type).' },
  { code: 'ERR_ENCODE_LENGTH', class: 'encode', errno: 'EINVAL', doc: 'A count or size field and the tail given with it disagree.' },
  { code: 'ERR_ENCODE_SHAPE', class: 'encode', errno: 'EINVAL', doc: 'The message does not have the body its command and kind call for.' },
  { code: 'ERR_ENCODE_SPACE', class: 'encode', errno: 'EINVAL', doc: 'The target buffer is too small for the message.' },
  { code: 'ERR_VERSION_FIRST', class: 'protocol', errno: 'EINVAL', doc: 'A connection\'s first command is not VERSION, or VERSION comes again after the connection negotiated.' },
  { code: 'ERR_VERSION_MAJOR', class: 'protocol', errno: 'EINVAL', doc: 'The VERSION major is not 0, or the reply\'s version is above the proposal.' },
  { code: 'ERR_IOMMUFD_NOT_NEGOTIATED', class: 'protocol', errno: 'EINVAL', doc: 'An iommufd command (19-26) before both sides advertised iommufd.' },
  { code: 'ERR_NOT_ADVERTISED', class: 'protocol', errno: 'EINVAL', doc: 'A command that needs a capability the server did not advertise: REGION_WRITE_MULTI without write_multiple.' },
  { code: 'ERR_TWIN_SOCKET', class: 'protocol', errno: 'EPROTO', doc: 'A twin_socket grant that names no received fd, or one not asked for.' },
  { code: 'ERR_WRONG_SOCKET', class: 'protocol', errno: 'EINVAL', doc: 'In twin-socket mode, a message on the socket that does not carry it: a client command (or its reply) on the twin socket, a server command (or its reply) on the main one; or a message on a twin socket that was never granted.' },
  { code: 'ERR_ORPHAN_REPLY', class: 'protocol', errno: 'EPROTO', doc: 'A reply whose msg_id and cmd match no outstanding command from the other side.' },
  { code: 'ERR_REPLY_TO_NO_REPLY', class: 'protocol', errno: 'EPROTO', doc: 'A reply to a command sent with NO_REPLY.' },
  { code: 'ERR_WRONG_SENDER', class: 'protocol', errno: 'EINVAL', doc: 'A command sent by the side that does not send it (DMA_READ from the client, DMA_MAP from the server).' },
  { code: 'ERR_FD_RULE', class: 'protocol', errno: 'EINVAL', doc: 'A message carries a number of fds its command\'s fd rule does not allow.' },
  { code: 'ERR_FD_LIMIT', class: 'protocol', errno: 'EINVAL', doc: 'A message carries more fds than the receiver advertised in max_msg_fds.' },
  { code: 'ERR_XFER_SIZE', class: 'protocol', errno: 'EINVAL', doc: 'A data count exceeds the receiver\'s max_data_xfer_size.' },
  { code: 'ERR_MIGRATION_ARC', class: 'protocol', errno: 'EINVAL', doc: 'A migration device-state change the state machine does not allow.' },
  { code: 'ERR_MIGRATION_PHASE', class: 'protocol', errno: 'EINVAL', doc: 'Migration data in the wrong state: MIG_DATA_READ outside PRE_COPY and STOP_COPY, or MIG_DATA_WRITE outside RESUMING.' },
  { code: 'ERR_DIRTY_LOGGING', class: 'protocol', errno: 'EINVAL', doc: 'A dirty bitmap asked for while dirty logging is off: DMA_UNMAP with GET_DIRTY_BITMAP, or DEVICE_FEATURE DMA_LOGGING_REPORT, before DMA_LOGGING_START or after DMA_LOGGING_STOP.' },
  { code: 'ERR_UNMAP_UNKNOWN', class: 'protocol', errno: 'ENOENT', doc: 'DMA_UNMAP or IOAS_UNMAP of a range no earlier map created.' },
  { code: 'ERR_IOAS_STATE', class: 'protocol', errno: 'EINVAL', doc: 'An iommufd command the connection\'s state forbids: an IOAS that does not exist (a server answers ENOENT), ATTACH before BIND or DETACH while not attached, a second BIND (EEXIST), DESTROY_IOAS of the attached IOAS (EBUSY); the errnos are the server dialect\'s.' },
  { code: 'ERR_REPLY_MISMATCH', class: 'protocol', errno: 'EINVAL', doc: 'A reply that does not answer its command: echoed fields differ, or data of the wrong length.' },
  {
    code: 'ERR_COMMAND_BEFORE_REPLY',
    class: 'protocol',
    errno: 'EPROTO',
    doc: 'The server sent a command (DMA_READ, DMA_WRITE) on a socket where a command of the client still awaits its reply. A client that serves the server\'s commands only between its own requests, as QEMU does while it holds its big lock, never answers it: the two wait on each other until a timeout. Reply first and do the DMA after (ServerConnection.afterReply), or use a twin socket.',
  },
  { code: 'ERR_INTEROP_REFUSED', class: 'protocol', errno: 'EINVAL', doc: 'The receiving side\'s dialect refuses a message its sender\'s dialect wrote (or a VERSION or GET_INFO reply it does not take); the violation names the errno it answers and why.' },
  { code: 'ERR_INTEROP_MISREAD', class: 'protocol', errno: 'EINVAL', doc: 'The receiving side\'s dialect accepts a message its sender\'s dialect wrote but reads other values than were meant; the violation lists the fields, and for data the message offset the receiver reads it from.' },
  { code: 'ERR_UNDECODABLE', class: 'protocol', errno: 'EINVAL', doc: 'A message of the conversation could not be decoded (the decode error is in the details).' },
  { code: 'ERR_REMOTE', class: 'session', errno: 'EINVAL', doc: 'The peer answered a request with an error reply; the error carries the peer\'s own errno instead of the one named here.' },
  { code: 'ERR_CLOSED', class: 'session', errno: 'EPROTO', doc: 'The connection closed (or was closed) before the reply came, or no msg_id was free.' },
  { code: 'ERR_TIMEOUT', class: 'session', errno: 'ETIMEDOUT', doc: 'No reply within the request\'s timeout.' },
  { code: 'ERR_BAD_REPLY', class: 'session', errno: 'EPROTO', doc: 'A reply the protocol does not allow: it did not decode, carried fds its rule forbids, or does not answer its command (the codec error is its cause).' },
  { code: 'ERR_DMA_FAULT', class: 'session', errno: 'EFAULT', doc: 'A DMA address or range that no mapping covers, or a mapping without the access asked for.' },
  { code: 'ERR_SESSION_LIMIT', class: 'session', errno: 'EINVAL', doc: 'A peer asked a session to hold more than one of its limits allows (limitName says which: connections, fds, DMA windows, IOAS objects, queued commands, dirty-bitmap memory, migration data). The refusal carries the limit\'s errno (spec/limits.ts sessionLimits).' },
  { code: 'ERR_REPLY_TOO_LARGE', class: 'session', errno: 'ENOSPC', doc: 'The reply a command asks for would exceed maxMessageSize (a dirty bitmap of a small page size over a large window): refused before anything is allocated.' },
  { code: 'ERR_FD_KIND', class: 'session', errno: 'EINVAL', doc: 'A file descriptor from the peer is of a kind the session does no I/O on, because I/O on it could block the process: interrupts are signalled only on eventfds and pipes, DMA windows are read and written only on regular files of local filesystems.' },
  { code: 'ERR_NOT_NEGOTIATED', class: 'session', errno: 'EINVAL', doc: 'Something the other side did not grant: a twin socket the client requires.' },
  { code: 'ERR_ADDON_MISSING', class: 'session', errno: 'ENOSYS', doc: 'The Unix transport\'s native addon has no prebuilt binary for this platform, or it did not load; the error says how to build it (`node node_modules/vfio-user-protocol/scripts/build-addon.mjs`, with a C compiler). Only `vfio-user-protocol/unix` needs it.' },
  { code: 'ERR_ACCEPT', class: 'session', errno: 'EIO', doc: 'A listening Unix socket could not accept a connection (EMFILE, ENFILE, ENOBUFS, ENOMEM, ...; the system error is its cause). The listener pauses accepting for a moment and goes on; it is reported, never thrown.' },
  { code: 'ERR_CAPTURE_FORMAT', class: 'capture', errno: 'EINVAL', doc: 'A capture (JSONL, hex or pcapng) is malformed: a line that is not a JSON object, a bad key, a block that is not pcapng.' },
  { code: 'ERR_CAPTURE_LINE_LENGTH', class: 'capture', errno: 'E2BIG', doc: 'A capture line (or pcapng block) is longer than the reader\'s maxLineBytes: the reader stops rather than hold it.' },
] as const satisfies readonly ErrorCodeSpec[];

type Entry = (typeof errorCodes)[number];

/** The codes of the codec's errors (`VfioUserError`). */
export type ErrorCode = Exclude<Entry, { readonly class: 'session' }>['code'];

/** The codes of the session layer's own errors (`VfioUserSessionError`). */
export type SessionErrorCode = Extract<Entry, { readonly class: 'session' }>['code'];
