/*
 * vfio_user_unix: the native part of vfio-user-protocol's Unix transport.
 *
 * AF_UNIX SOCK_STREAM sockets with file descriptors passed as SCM_RIGHTS
 * (unix(7), sendmsg(2), recvmsg(2), cmsg(3)), plus eventfd(2),
 * memfd_create(2) and O_NONBLOCK (fcntl(2)) helpers. Written against
 * Node-API (version 8) and libuv's uv_poll; no C++ and no other library.
 *
 * Every descriptor this module creates is close-on-exec and (sockets)
 * non-blocking. I/O calls return a count or a negative errno, never throw
 * for a system error: the JavaScript side builds its errors.
 *
 * Readiness: a Poll watches one descriptor with uv_poll and calls its
 * JavaScript callback with (status, events). Poll.close() stops watching,
 * closes the descriptor at once (uv_poll_stop has taken it out of the loop),
 * drops the callback and lets libuv release the handle. A Poll that the garbage collector takes while still open is
 * closed the same way; the C memory is freed only when both the libuv close
 * callback and the finalizer have run, in either order, so neither can touch
 * freed memory (libuv aborts on a handle freed while closing).
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

/* unix(7): "The kernel constant SCM_MAX_FD defines a limit on the number of file descriptors in the array" (253). */
#define MAX_FDS 253

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      const napi_extended_error_info *info_;                               \
      napi_get_last_error_info(env, &info_);                               \
      bool pending_;                                                       \
      napi_is_exception_pending(env, &pending_);                           \
      if (!pending_)                                                       \
        napi_throw_error(env, "ERR_NATIVE", info_->error_message ? info_->error_message : #call); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

static napi_value num(napi_env env, double v) {
  napi_value out;
  if (napi_create_double(env, v, &out) != napi_ok) return NULL;
  return out;
}

static int get_int(napi_env env, napi_value v, int32_t *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a number");
    return -1;
  }
  napi_get_value_int32(env, v, out);
  return 0;
}

/* The bytes of a Uint8Array (or Buffer). */
static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Uint8Array");
    return -1;
  }
  napi_typedarray_type type;
  void *p;
  if (napi_get_typedarray_info(env, v, &type, len, &p, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Uint8Array");
    return -1;
  }
  *data = p;
  return 0;
}

/* An Int32Array's elements. */
static int get_ints(napi_env env, napi_value v, int32_t **data, size_t *len) {
  bool is;
  napi_typedarray_type type;
  void *p;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, &type, len, &p, NULL, NULL) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an Int32Array");
    return -1;
  }
  *data = p;
  return 0;
}

static int set_nonblock(int fd, int on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -errno;
  int want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (want != flags && fcntl(fd, F_SETFL, want) < 0) return -errno;
  return 0;
}

static int fill_addr(napi_env env, napi_value v, struct sockaddr_un *addr, socklen_t *len) {
  char path[sizeof(addr->sun_path) + 1];
  size_t n;
  if (napi_get_value_string_utf8(env, v, path, sizeof(path), &n) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a path string");
    return -1;
  }
  if (n == 0 || n >= sizeof(addr->sun_path)) return -ENAMETOOLONG;
  memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  memcpy(addr->sun_path, path, n);
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  return 0;
}

/* socketpair() -> [fd, fd] | -errno */
static napi_value js_socketpair(napi_env env, napi_callback_info info) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0) return num(env, -errno);
  napi_value arr;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  CHECK(napi_set_element(env, arr, 0, num(env, sv[0])));
  CHECK(napi_set_element(env, arr, 1, num(env, sv[1])));
  return arr;
}

/* listen(path, backlog) -> fd | -errno */
static napi_value js_listen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un addr;
  socklen_t alen;
  int32_t backlog;
  int r = fill_addr(env, argv[0], &addr, &alen);
  if (r == -1) return NULL;
  if (r < 0) return num(env, r);
  if (get_int(env, argv[1], &backlog) < 0) return NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return num(env, -errno);
  if (bind(fd, (struct sockaddr *)&addr, alen) < 0 || listen(fd, backlog) < 0) {
    int e = errno;
    close(fd);
    return num(env, -e);
  }
  return num(env, fd);
}

/*
 * connect(path) -> fd | -errno. Non-blocking: a Unix stream connect either
 * completes at once or fails; EAGAIN means the listener's backlog is full.
 */
static napi_value js_connect(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un addr;
  socklen_t alen;
  int r = fill_addr(env, argv[0], &addr, &alen);
  if (r == -1) return NULL;
  if (r < 0) return num(env, r);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return num(env, -errno);
  if (connect(fd, (struct sockaddr *)&addr, alen) < 0) {
    int e = errno;
    close(fd);
    return num(env, -e);
  }
  return num(env, fd);
}

/* accept(fd) -> fd | -errno (EAGAIN when none is waiting). */
static napi_value js_accept(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  int c;
  do c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  while (c < 0 && errno == EINTR);
  return num(env, c < 0 ? -errno : c);
}

/*
 * sendmsg(fd, head, tail, fds, fdCount) -> bytes written | -errno.
 * One sendmsg(2) of the iovec [head, tail] (tail may be null), with
 * fds[0..fdCount) attached as SCM_RIGHTS when fdCount > 0. MSG_NOSIGNAL: a
 * closed peer gives EPIPE, not SIGPIPE.
 */
static napi_value js_sendmsg(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t fd, nfds = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "sendmsg(fd, head, tail, fds, fdCount)");
    return NULL;
  }
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  struct iovec iov[2];
  int iovcnt = 1;
  uint8_t *p;
  size_t n;
  if (get_bytes(env, argv[1], &p, &n) < 0) return NULL;
  iov[0].iov_base = p;
  iov[0].iov_len = n;
  napi_valuetype t;
  CHECK(napi_typeof(env, argv[2], &t));
  if (t != napi_null && t != napi_undefined) {
    if (get_bytes(env, argv[2], &p, &n) < 0) return NULL;
    iov[1].iov_base = p;
    iov[1].iov_len = n;
    iovcnt = 2;
  }
  if (get_int(env, argv[4], &nfds) < 0) return NULL;
  union {
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = iov;
  msg.msg_iovlen = iovcnt;
  if (nfds > 0) {
    int32_t *fds;
    size_t have;
    if (get_ints(env, argv[3], &fds, &have) < 0) return NULL;
    if (nfds > MAX_FDS || (size_t)nfds > have) return num(env, -EINVAL);
    memset(&control, 0, sizeof(control));
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
  }
  ssize_t w;
  do w = sendmsg(fd, &msg, MSG_NOSIGNAL);
  while (w < 0 && errno == EINTR);
  return num(env, w < 0 ? -errno : (double)w);
}

/*
 * recvmsg(fd, buf, fdsOut) -> bytes read (0 at end of stream) | -errno.
 * Reads into buf (a view the caller owns); the fds that came with the read
 * go to fdsOut[1..], their count to fdsOut[0]; fdsOut[0] is negated when
 * the kernel truncated the control data (MSG_CTRUNC: fds were lost).
 * fdsOut must hold 1 + 253 entries. Received fds are close-on-exec.
 */
static napi_value js_recvmsg(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "recvmsg(fd, buf, fdsOut)");
    return NULL;
  }
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  uint8_t *p;
  size_t n;
  int32_t *out;
  size_t outlen;
  if (get_bytes(env, argv[1], &p, &n) < 0) return NULL;
  if (get_ints(env, argv[2], &out, &outlen) < 0) return NULL;
  if (outlen < 1 + MAX_FDS) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "fdsOut must hold 254 entries");
    return NULL;
  }
  /* Room for one full SCM_RIGHTS message and a second header, should the kernel ever put two. */
  union {
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS) + CMSG_SPACE(sizeof(int) * 8)];
    struct cmsghdr align;
  } control;
  struct iovec iov = { p, n };
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof(control.buf);
  ssize_t r;
  do r = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  out[0] = 0;
  if (r < 0) return num(env, -errno);
  int count = 0;
  int lost = (msg.msg_flags & MSG_CTRUNC) != 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    int *fds = (int *)CMSG_DATA(c);
    for (int i = 0; i < k; i++) {
      int one;
      memcpy(&one, fds + i, sizeof(int));
      if (count < MAX_FDS) {
        out[1 + count++] = one;
      } else {
        close(one);
        lost = 1;
      }
    }
  }
  out[0] = lost ? -count - 1 : count;
  return num(env, (double)r);
}

/* eventfd(initval, nonblock) -> fd | -errno (EFD_CLOEXEC always). */
static napi_value js_eventfd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t initval, nonblock;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || get_int(env, argv[0], &initval) < 0 || get_int(env, argv[1], &nonblock) < 0) return NULL;
  int fd = eventfd((unsigned int)initval, EFD_CLOEXEC | (nonblock ? EFD_NONBLOCK : 0));
  return num(env, fd < 0 ? -errno : fd);
}

/* memfd_create(name, size) -> fd | -errno (MFD_CLOEXEC | MFD_ALLOW_SEALING; ftruncate to size). */
static napi_value js_memfd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[250];
  size_t n;
  double size;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], name, sizeof(name), &n) != napi_ok || napi_get_value_double(env, argv[1], &size) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "memfd(name, size)");
    return NULL;
  }
  if (!(size >= 0) || size > 9007199254740991.0) return num(env, -EINVAL);
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return num(env, -errno);
  if (ftruncate(fd, (off_t)size) < 0) {
    int e = errno;
    close(fd);
    return num(env, -e);
  }
  return num(env, fd);
}

/* setNonBlocking(fd, on) -> 0 | -errno */
static napi_value js_set_nonblocking(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd, on;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || get_int(env, argv[0], &fd) < 0 || get_int(env, argv[1], &on) < 0) return NULL;
  return num(env, set_nonblock(fd, on));
}

/* dup(fd) -> a new close-on-exec fd | -errno (F_DUPFD_CLOEXEC). */
static napi_value js_dup(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  return num(env, d < 0 ? -errno : d);
}

/* isSocket(fd) -> 1 when fd is a Unix stream socket, 0 when it is something else, -errno. */
static napi_value js_is_unix_stream(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  int v;
  socklen_t l = sizeof(v);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l) < 0) return num(env, errno == ENOTSOCK ? 0 : -errno);
  if (v != AF_UNIX) return num(env, 0);
  l = sizeof(v);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l) < 0) return num(env, -errno);
  return num(env, v == SOCK_STREAM ? 1 : 0);
}

/* -- Poll ------------------------------------------------------------------------------------ */

typedef struct poll_s {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;    /* strong while open: an open Poll is a root, as an active handle is */
  napi_async_context ctx;
  int fd;
  int events;
  int started;
  int closing;          /* uv_close called */
  int close_done;       /* libuv's close callback ran */
  int finalized;        /* the JavaScript object is gone */
} poll_t;

static void poll_free_if_done(poll_t *p) {
  if (p->close_done && p->finalized) free(p);
}

static void on_closed(uv_handle_t *h) {
  poll_t *p = (poll_t *)h->data;
  if (p->fd >= 0) {
    close(p->fd);
    p->fd = -1;
  }
  p->close_done = 1;
  poll_free_if_done(p);
}

/* Drops the callback and starts closing; safe to call more than once. */
static void poll_close(napi_env env, poll_t *p) {
  if (p->closing) return;
  p->closing = 1;
  if (p->callback != NULL) {
    napi_delete_reference(env, p->callback);
    p->callback = NULL;
  }
  if (p->ctx != NULL) {
    napi_async_destroy(env, p->ctx);
    p->ctx = NULL;
  }
  if (p->started) {
    /* uv_poll_stop takes the fd out of the loop's epoll set: it can be closed now, synchronously as
       close(2) would, and only the handle's memory waits for libuv's close callback. */
    uv_poll_stop(&p->handle);
    if (p->fd >= 0) {
      close(p->fd);
      p->fd = -1;
    }
    uv_close((uv_handle_t *)&p->handle, on_closed);
  } else {
    /* uv_poll_init failed or never ran: nothing for libuv to release. */
    on_closed((uv_handle_t *)&p->handle);
  }
}

static void poll_finalize(napi_env env, void *data, void *hint) {
  poll_t *p = data;
  poll_close(env, p);
  p->finalized = 1;
  poll_free_if_done(p);
}

static void on_poll(uv_poll_t *h, int status, int events) {
  poll_t *p = h->data;
  if (p->closing || p->callback == NULL) return;
  napi_env env = p->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, argv[2], result;
  if (napi_get_reference_value(env, p->callback, &cb) == napi_ok && cb != NULL) {
    napi_get_global(env, &recv);
    napi_create_int32(env, status, &argv[0]);
    napi_create_int32(env, events, &argv[1]);
    if (napi_make_callback(env, p->ctx, recv, cb, 2, argv, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static poll_t *unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  void *data;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "not a Poll");
    return NULL;
  }
  return data;
}

/* new Poll(fd, callback): owns fd from now on (closes it on close or collection). */
static napi_value poll_new(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  if (argc < 2 || get_int(env, argv[0], &fd) < 0) return NULL;
  napi_valuetype t;
  CHECK(napi_typeof(env, argv[1], &t));
  if (t != napi_function) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "Poll(fd, callback)");
    return NULL;
  }
  poll_t *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  p->env = env;
  p->fd = fd;
  p->handle.data = p;
  uv_loop_t *loop;
  napi_value name;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || napi_create_string_utf8(env, "vfio-user:unix", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_async_init(env, NULL, name, &p->ctx) != napi_ok || napi_create_reference(env, argv[1], 1, &p->callback) != napi_ok) {
    p->finalized = 1;
    poll_close(env, p);
    napi_throw_error(env, "ERR_NATIVE", "could not set up a Poll");
    return NULL;
  }
  int r = uv_poll_init(loop, &p->handle, fd);
  if (r == 0) p->started = 1;
  if (napi_wrap(env, self, p, poll_finalize, NULL, NULL) != napi_ok) {
    p->finalized = 1;
    poll_close(env, p);
    napi_throw_error(env, "ERR_NATIVE", "could not wrap a Poll");
    return NULL;
  }
  if (r != 0) {
    poll_close(env, p);
    napi_value error, code, msg;
    napi_create_string_utf8(env, uv_err_name(r), NAPI_AUTO_LENGTH, &code);
    napi_create_string_utf8(env, uv_strerror(r), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, code, msg, &error);
    napi_throw(env, error);
    return NULL;
  }
  return self;
}

/* poll.watch(events): 0 stops watching; 1 readable, 2 writable (UV_READABLE, UV_WRITABLE). Returns 0 | a libuv error. */
static napi_value poll_watch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t events;
  poll_t *p = unwrap(env, info, &argc, argv);
  if (p == NULL) return NULL;
  if (get_int(env, argv[0], &events) < 0) return NULL;
  if (p->closing) return num(env, UV_EBADF);
  events &= UV_READABLE | UV_WRITABLE;
  if (events == p->events) return num(env, 0);
  int r = events == 0 ? uv_poll_stop(&p->handle) : uv_poll_start(&p->handle, events, on_poll);
  if (r == 0) p->events = events;
  return num(env, r);
}

/* poll.ref(on): whether the handle keeps the event loop alive (default yes). */
static napi_value poll_ref(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool on;
  poll_t *p = unwrap(env, info, &argc, argv);
  if (p == NULL) return NULL;
  CHECK(napi_get_value_bool(env, argv[0], &on));
  if (!p->closing && p->started) {
    if (on) uv_ref((uv_handle_t *)&p->handle);
    else uv_unref((uv_handle_t *)&p->handle);
  }
  return NULL;
}

/* poll.close(): stop watching, drop the callback, close the fd once libuv lets go. Idempotent. */
static napi_value poll_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  poll_t *p = unwrap(env, info, &argc, NULL);
  if (p == NULL) return NULL;
  poll_close(env, p);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
    { "socketpair", NULL, js_socketpair, NULL, NULL, NULL, napi_enumerable, NULL },
    { "listen", NULL, js_listen, NULL, NULL, NULL, napi_enumerable, NULL },
    { "connect", NULL, js_connect, NULL, NULL, NULL, napi_enumerable, NULL },
    { "accept", NULL, js_accept, NULL, NULL, NULL, napi_enumerable, NULL },
    { "sendmsg", NULL, js_sendmsg, NULL, NULL, NULL, napi_enumerable, NULL },
    { "recvmsg", NULL, js_recvmsg, NULL, NULL, NULL, napi_enumerable, NULL },
    { "eventfd", NULL, js_eventfd, NULL, NULL, NULL, napi_enumerable, NULL },
    { "memfd", NULL, js_memfd, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setNonBlocking", NULL, js_set_nonblocking, NULL, NULL, NULL, napi_enumerable, NULL },
    { "dup", NULL, js_dup, NULL, NULL, NULL, napi_enumerable, NULL },
    { "isUnixStream", NULL, js_is_unix_stream, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns) != napi_ok) return NULL;
  napi_property_descriptor methods[] = {
    { "watch", NULL, poll_watch, NULL, NULL, NULL, napi_default, NULL },
    { "ref", NULL, poll_ref, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, poll_close_js, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_value cls, v;
  if (napi_define_class(env, "Poll", NAPI_AUTO_LENGTH, poll_new, NULL, 3, methods, &cls) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "Poll", cls);
  napi_create_int32(env, MAX_FDS, &v);
  napi_set_named_property(env, exports, "SCM_MAX_FD", v);
  napi_create_int32(env, 1, &v);
  napi_set_named_property(env, exports, "ABI", v);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
