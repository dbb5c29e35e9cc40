/*
 * names.c - host and service names for the display without -n.
 *
 * Reverse lookups can hang for many seconds when the resolver is
 * unreachable, so they run on worker threads and the display waits for
 * them only within a fixed budget: whatever has no answer by then is shown
 * numerically (and cached, so a later refresh may show the name).  After a
 * budget ran out, later displays do not wait for the resolver at all.
 * Answers, failures included, are cached for the life of the process.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "tool.h"

#define BUDGET_MS 1500
#define WORKERS 16

enum { QUEUED, RUNNING, DONE };

struct host {
	int family;
	unsigned char addr[16];
	int state;
	char *name; /* NULL: no name (numeric) */
};

struct service {
	unsigned port;
	char *name;
};

struct names {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct host *hosts;
	size_t nhosts, cap;
	size_t next; /* first entry a worker may still find QUEUED */
	int workers;
	bool slow; /* a budget ran out: stop waiting for the resolver */
	struct service *services; /* main thread only */
	size_t nservices;
};

/* The one resolver of the process: workers may still use it while the
 * program exits, so it is never freed (and stays reachable from here). */
static struct names *the_names;

struct names *names_new(void)
{
	if (the_names)
		return the_names;
	struct names *nm = calloc(1, sizeof(*nm));
	if (!nm)
		return NULL;
	pthread_mutex_init(&nm->lock, NULL);
	pthread_cond_init(&nm->done, NULL);
	the_names = nm;
	return nm;
}

static bool unspecified(int family, const unsigned char *a)
{
	static const unsigned char zero[16];
	return memcmp(a, zero, family == AF_INET ? 4 : 16) == 0;
}

static char *lookup(int family, const unsigned char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
		len = sizeof(*sin6);
	}
	char host[NI_MAXHOST];
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, NI_NAMEREQD) != 0)
		return NULL;
	return strdup(host);
}

/* Takes queued lookups until none is left.  The names object outlives every
 * worker (it is never freed), so a worker still stuck in the resolver when
 * the program ends is harmless. */
static void *worker(void *arg)
{
	struct names *nm = arg;
	pthread_mutex_lock(&nm->lock);
	for (;;) {
		while (nm->next < nm->nhosts && nm->hosts[nm->next].state != QUEUED)
			nm->next++;
		if (nm->next == nm->nhosts)
			break;
		size_t i = nm->next++;
		nm->hosts[i].state = RUNNING;
		int family = nm->hosts[i].family;
		unsigned char addr[16];
		memcpy(addr, nm->hosts[i].addr, sizeof(addr));
		pthread_mutex_unlock(&nm->lock);
		char *name = lookup(family, addr);
		pthread_mutex_lock(&nm->lock);
		nm->hosts[i].name = name;
		nm->hosts[i].state = DONE;
		pthread_cond_broadcast(&nm->done);
	}
	nm->workers--;
	pthread_mutex_unlock(&nm->lock);
	return NULL;
}

static struct host *find(struct names *nm, int family, const unsigned char *addr)
{
	for (size_t i = 0; i < nm->nhosts; i++) {
		struct host *h = &nm->hosts[i];
		if (h->family == family && memcmp(h->addr, addr, 16) == 0)
			return h;
	}
	return NULL;
}

/* Queues addr unless known; caller holds the lock. */
static void enqueue(struct names *nm, int family, const unsigned char *addr)
{
	unsigned char key[16] = { 0 };
	memcpy(key, addr, family == AF_INET ? 4 : 16);
	if (unspecified(family, key) || find(nm, family, key))
		return;
	if (nm->nhosts == nm->cap) {
		size_t cap = nm->cap ? 2 * nm->cap : 64;
		struct host *h = realloc(nm->hosts, cap * sizeof(*h));
		if (!h)
			return;
		nm->hosts = h;
		nm->cap = cap;
	}
	struct host *h = &nm->hosts[nm->nhosts++];
	h->family = family;
	memcpy(h->addr, key, 16);
	h->state = QUEUED;
	h->name = NULL;
}

static size_t unfinished(const struct names *nm)
{
	size_t n = 0;
	for (size_t i = 0; i < nm->nhosts; i++)
		n += nm->hosts[i].state != DONE;
	return n;
}

void names_prefetch(struct names *nm, const struct conn_list *l)
{
	pthread_mutex_lock(&nm->lock);
	for (size_t i = 0; i < l->n; i++) {
		enqueue(nm, l->v[i].family, l->v[i].laddr);
		enqueue(nm, l->v[i].family, l->v[i].raddr);
	}
	size_t queued = 0;
	for (size_t i = nm->next; i < nm->nhosts; i++)
		queued += nm->hosts[i].state == QUEUED;
	while (nm->workers < WORKERS && queued-- > 0) {
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, worker, nm) == 0)
			nm->workers++;
		pthread_attr_destroy(&attr);
	}
	if (!nm->slow) {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += BUDGET_MS / 1000;
		deadline.tv_nsec += (BUDGET_MS % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (unfinished(nm) > 0) {
			if (pthread_cond_timedwait(&nm->done, &nm->lock, &deadline) == ETIMEDOUT) {
				nm->slow = unfinished(nm) > 0;
				break;
			}
		}
	}
	pthread_mutex_unlock(&nm->lock);
}

const char *names_host(struct names *nm, int family, const unsigned char *addr)
{
	unsigned char key[16] = { 0 };
	memcpy(key, addr, family == AF_INET ? 4 : 16);
	pthread_mutex_lock(&nm->lock);
	struct host *h = find(nm, family, key);
	/* Names are never freed or replaced once DONE: the pointer stays valid. */
	const char *name = h && h->state == DONE ? h->name : NULL;
	pthread_mutex_unlock(&nm->lock);
	return name;
}

const char *names_port(struct names *nm, unsigned port)
{
	for (size_t i = 0; i < nm->nservices; i++)
		if (nm->services[i].port == port)
			return nm->services[i].name;
	struct service *s = realloc(nm->services, (nm->nservices + 1) * sizeof(*s));
	if (!s)
		return NULL;
	nm->services = s;
	struct servent *se = port ? getservbyport(htons((uint16_t)port), "tcp") : NULL;
	s[nm->nservices].port = port;
	s[nm->nservices].name = se ? strdup(se->s_name) : NULL;
	return s[nm->nservices++].name;
}
