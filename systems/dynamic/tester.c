/* Drives the manager through its control calls and checks what it does (tests/system/manager):
 * the initial child runs; a crashing child is restarted by its policy until its limit; a child
 * below the RAM its program needs, or below the capability slots it needs, is refused with a
 * message, never runs and the others are unaffected; a bad
 * configuration is rejected and the running one stays; a nested manager runs its own child, which
 * reaches this PD through a parent route, and gives everything back when stopped; sessions asked
 * for by label reach the route their label matches best, or are refused; a removed child
 * stops; and 1,000 start/stop cycles give every chunk back, empty in the kernel too. */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "control.h"

#define MANAGER 0

uintptr_t control;

static const char *base_config =
    "<manager ram=\"8M\" caps=\"4000\">"
    "<program name=\"sleeper\" path=\"sleeper.elf\"/>"
    "<program name=\"crasher\" path=\"crasher.elf\"/>"
    "<program name=\"echo\" path=\"echo.elf\"/>"
    "<program name=\"asker\" path=\"asker.elf\"/>"
    "<child name=\"sleeper\" binary=\"sleeper\" priority=\"50\" ram=\"2M\" caps=\"600\"/>";

static char text[ControlBufferBytes];

static uint64_t tsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

static char reply[ControlBufferBytes];
static seL4_Word free_chunks, all_chunks, free_slots;

/* Calls the manager with `words` words (MR0 already set) and copies the text it answers with
 * (MR0 bytes of the buffer) into reply; returns the reply's label. */
static unsigned call(seL4_Word call_label, unsigned words)
{
    microkit_msginfo answer = microkit_ppcall(MANAGER, microkit_msginfo_new(call_label, words));
    size_t written = microkit_mr_get(0);
    if (written >= sizeof reply)
        written = sizeof reply - 1;
    memcpy(reply, (char *)control, written);
    reply[written] = '\0';
    return (unsigned)microkit_msginfo_get_label(answer);
}

/* Sends base_config + children + "</manager>"; leaves the report in reply. */
static unsigned load(const char *children)
{
    size_t length = (size_t)snprintf(text, sizeof text, "%s%s</manager>", base_config, children);
    memcpy((char *)control, text, length);
    microkit_mr_set(0, length);
    return call(ControlLoad, 1);
}

static void status(void)
{
    (void)call(ControlStatus, 0);
    free_chunks = microkit_mr_get(1);
    all_chunks = microkit_mr_get(2);
    free_slots = microkit_mr_get(3);
}

/* The status of the nested manager a path leads to ("nest/"), in reply; returns the reply's label. */
static unsigned status_of(const char *path)
{
    const size_t length = strlen(path);
    memcpy((char *)control, path, length);
    microkit_mr_set(0, length);
    return call(ControlStatus, 1);
}

/* The status line of `name`, or NULL. */
static const char *line_of(const char *name)
{
    size_t n = strlen(name);
    for (const char *line = reply; *line != '\0';) {
        if (strncmp(line, name, n) == 0 && line[n] == ' ')
            return line;
        const char *end = strchr(line, '\n');
        if (end == NULL)
            break;
        line = end + 1;
    }
    return NULL;
}

static int line_has(const char *name, const char *word)
{
    const char *line = line_of(name);
    if (line == NULL)
        return 0;
    const char *end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    const char *found = strstr(line, word);
    return found != NULL && found < line + length;
}

void init(void)
{
    status();
    printf("%s", reply);
    check("manager.initial_child_runs", line_has("sleeper", "running"));
    const seL4_Word initial_free = free_chunks, initial_slots = free_slots;
    printf("manager: %lu of %lu chunks free, %lu slots\n", (unsigned long)free_chunks,
           (unsigned long)all_chunks, (unsigned long)free_slots);
    check("manager.child_owns_its_quota_in_chunks", all_chunks - free_chunks == 32);

    /* A child that faults at once, restarted twice and then left failed. */
    unsigned label = load("<child name=\"crasher\" binary=\"crasher\" priority=\"50\" ram=\"2M\" "
                          "caps=\"600\"><restart policy=\"on-fault\" limit=\"2\"/></child>");
    printf("%s", reply);
    check("manager.load_starts_new_child",
          label == ControlApplied && strstr(reply, "started crasher") != NULL &&
              strstr(reply, "kept sleeper") != NULL);
    status();
    printf("%s", reply);
    check("manager.crash_restarts_up_to_limit", line_has("crasher", "failed") && line_has("crasher", " 2 "));
    check("manager.other_child_unaffected_by_crash", line_has("sleeper", "running"));

    /* With a backoff: each restart waits (state `waiting`) on the manager's clock. */
    label = load("<child name=\"crasher2\" binary=\"crasher\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<restart policy=\"on-fault\" limit=\"2\" backoff_ms=\"20\"/></child>");
    status();
    printf("%s", reply);
    check("manager.backoff_waits_before_restart", label == ControlApplied && line_has("crasher2", "waiting"));
    unsigned polls = 0;
    while (!line_has("crasher2", "failed") && polls < 1000000) {
        status();
        ++polls;
    }
    printf("%s", reply);
    check("manager.backoff_restarts_up_to_limit", line_has("crasher2", "failed") && line_has("crasher2", " 2 "));

    /* The watchdog: a child that never beats is stopped once it has missed two periods. */
    label = load("<child name=\"silent\" binary=\"sleeper\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<heartbeat period_ms=\"20\" misses=\"2\"/></child>");
    status();
    check("manager.heartbeat_child_starts", label == ControlApplied && line_has("silent", "running"));
    polls = 0;
    while (!line_has("silent", "failed") && polls < 1000000) {
        status();
        ++polls;
    }
    printf("%s", reply);
    check("manager.missed_heartbeats_stop_child", line_has("silent", "failed"));

    /* RAM below what the program needs: refused with a message, nothing else changes. */
    label = load("<child name=\"tiny\" binary=\"sleeper\" priority=\"50\" ram=\"64K\" caps=\"600\"/>");
    printf("%s", reply);
    check("manager.over_quota_child_refused", label == ControlApplied && strstr(reply, "failed tiny") != NULL);
    status();
    check("manager.refused_child_holds_nothing", line_has("tiny", "failed") && free_chunks == initial_free);

    /* A configuration with errors: rejected with its messages, the running one stays. */
    label = load("<child name=\"bad\" binary=\"nowhere\" ram=\"2M\" caps=\"600\"/>");
    printf("%s", reply);
    check("manager.bad_config_rejected", label == ControlRejected && strstr(reply, "rejected") != NULL);
    status();
    check("manager.running_config_stays", line_has("tiny", "failed") && line_has("sleeper", "running"));

    /* Routes as capabilities: the asker calls the echo child through its route 0 (a badged
     * endpoint) and notifies this PD through route 1 (the manager's static channel 1). */
    label = load("<child name=\"echo\" binary=\"echo\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<provides><service name=\"echo\"/></provides></child>"
                 "<child name=\"asker\" binary=\"asker\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<route><service name=\"echo\"><child name=\"echo\"/></service>"
                 "<service name=\"log\"><channel id=\"1\"/></service></route></child>");
    printf("%s", reply);
    seL4_Word badge = 0;
    seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    check("manager.routes_wire_child_and_channel",
          label == ControlApplied && (badge & (1u << 1)) != 0);
    status();
    check("manager.routed_children_run", line_has("echo", "running") && line_has("asker", "running"));

    /* A caps quota below what the asker needs (about 290 slots: one per page and paging structure):
     * each slot the manager takes for a child is counted against its quota as it is taken, and
     * the thread is resumed only after everything is charged, so this child never runs (it
     * would signal channel 1 at once, its echo being there) and gives back all it took. */
    status();
    const seL4_Word chunks_before = free_chunks, slots_before = free_slots;
    badge = 0;
    seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    label = load("<child name=\"echo\" binary=\"echo\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<provides><service name=\"echo\"/></provides></child>"
                 "<child name=\"asker\" binary=\"asker\" priority=\"50\" ram=\"2M\" caps=\"600\">"
                 "<route><service name=\"echo\"><child name=\"echo\"/></service>"
                 "<service name=\"log\"><channel id=\"1\"/></service></route></child>"
                 "<child name=\"greedy\" binary=\"asker\" priority=\"50\" ram=\"1M\" caps=\"40\">"
                 "<route><service name=\"echo\"><child name=\"echo\"/></service>"
                 "<service name=\"log\"><channel id=\"1\"/></service></route></child>");
    printf("%s", reply);
    check("manager.over_caps_quota_child_refused",
          label == ControlApplied && strstr(reply, "failed greedy: over its caps quota") != NULL);
    for (int i = 0; i < 1000; ++i)
        microkit_ppcall(MANAGER, microkit_msginfo_new(ControlStatus, 0)); /* time to run, had it started */
    badge = 0;
    seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    status();
    check("manager.over_caps_quota_child_never_runs_and_holds_nothing",
          (badge & (1u << 1)) == 0 && line_has("greedy", "failed") &&
              line_has("echo", "running") &&
              free_chunks == chunks_before && free_slots == slots_before);

    /* Sessions by label (docs/dynamic.md, "Sessions and labels"): the labeller asks for "echo"
     * under "left", "right" and "nope" and then for "result" under a summary of where each went;
     * only the summary its routes should produce is routed to this PD's channel 1. Client "one"
     * routes whole labels to two servers (the echo, the tagger, which is told the client's label
     * by the manager) and refuses the rest; "two", with the same program, routes by the most
     * specific of a whole label, a prefix and an unlabelled route, written in the reverse order;
     * "three" expects a summary its routes do not produce, so its result is refused. */
    static const char servers[] =
        "<program name=\"tagger\" path=\"tagger.elf\"/><program name=\"labeller\" path=\"labeller.elf\"/>"
        "<child name=\"echo\" binary=\"echo\" priority=\"50\" ram=\"2M\" caps=\"600\">"
        "<provides><service name=\"echo\"/></provides></child>"
        "<child name=\"tagger\" binary=\"tagger\" priority=\"50\" ram=\"1536K\" caps=\"600\">"
        "<provides><service name=\"echo\"/></provides></child>";
    static const char one[] =
        "<child name=\"one\" binary=\"labeller\" priority=\"50\" ram=\"1536K\" caps=\"600\"><route>"
        "<service name=\"echo\" label=\"left\"><child name=\"echo\"/></service>"
        "<service name=\"echo\" label=\"right\"><child name=\"tagger\"/></service>"
        "<service name=\"result\" label=\"left=e right=t nope=r\"><channel id=\"1\"/></service>"
        "</route></child>";
    static const char two[] =
        "<child name=\"two\" binary=\"labeller\" priority=\"50\" ram=\"1536K\" caps=\"600\"><route>"
        "<service name=\"echo\"><child name=\"echo\"/></service>"
        "<service name=\"echo\" label_prefix=\"ri\"><child name=\"tagger\"/></service>"
        "<service name=\"echo\" label=\"left\"><child name=\"tagger\"/></service>"
        "<service name=\"result\" label=\"left=t right=t nope=e\"><channel id=\"1\"/></service>"
        "</route></child>";
    static const char three[] =
        "<child name=\"three\" binary=\"labeller\" priority=\"50\" ram=\"1536K\" caps=\"600\"><route>"
        "<service name=\"echo\" label=\"left\"><child name=\"echo\"/></service>"
        "<service name=\"result\" label=\"left=e right=t nope=r\"><channel id=\"1\"/></service>"
        "</route></child>";
    const char *const clients[] = {one, two, three};
    int routed[3] = {0, 0, 0};
    static char children_text[ControlBufferBytes / 2];
    for (int c = 0; c < 3; ++c) {
        snprintf(children_text, sizeof children_text, "%s%s", servers, clients[c]);
        badge = 0;
        seL4_Poll(MICROKIT_INPUT_CAP, &badge);
        label = load(children_text);
        printf("%s", reply);
        badge = 0;
        seL4_Poll(MICROKIT_INPUT_CAP, &badge);
        routed[c] = label == ControlApplied && (badge & (1u << 1)) != 0;
    }
    status();
    printf("%s", reply);
    check("manager.sessions_route_by_whole_label_to_two_servers", routed[0]);
    check("manager.sessions_take_the_most_specific_route", routed[1]);
    check("manager.session_with_an_unrouted_label_is_refused",
          !routed[2] && line_has("three", "running") && line_has("tagger", "running"));

    /* This image gives the manager no device: a configuration naming one is rejected as a whole
     * and the running children stay. */
    label = load("<device name=\"disk\"/><child name=\"drv\" binary=\"sleeper\" priority=\"50\" "
                 "ram=\"64K\" caps=\"16\"><device name=\"disk\"/></child>");
    printf("%s", reply);
    const int device_rejected =
        label == ControlRejected && strstr(reply, "the manager's image holds no device 'disk'") != NULL;
    status();
    check("manager.device_not_in_image_rejected",
          device_rejected && line_has("echo", "running") && line_of("drv") == NULL);

    /* A changed version restarts its child and keeps the others. */
    label = load("<child name=\"v\" binary=\"sleeper\" priority=\"50\" ram=\"2M\" caps=\"600\" version=\"1\"/>");
    const int version_started = label == ControlApplied && strstr(reply, "started v") != NULL;
    label = load("<child name=\"v\" binary=\"sleeper\" priority=\"50\" ram=\"2M\" caps=\"600\" version=\"2\"/>");
    printf("%s", reply);
    const int version_restarted = label == ControlApplied && strstr(reply, "restarted v") != NULL &&
                                  strstr(reply, "kept sleeper") != NULL;
    status();
    check("manager.changed_version_restarts_child",
          version_started && version_restarted && line_has("v", "running") && line_has("sleeper", "running"));

    /* Nested managers: a child that runs this manager's own program with a nested <manager>, whose
     * RAM is 8 of the child's chunks. Its child, the beacon, signals its <parent/> route, which the
     * nested manager serves with the route its parent gave it (this PD's channel 1). The outer
     * manager charges the child its whole quota whatever the nested one does inside it; stopping
     * the child gives every chunk and slot back, empty in the kernel, cycle after cycle. */
    label = load("");
    status();
    const seL4_Word nest_chunks = free_chunks, nest_slots = free_slots;
    badge = 0;
    seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    static const char nest_head[] =
        "<program name=\"manager\" path=\"m\"/><program name=\"beacon\" path=\"b\"/>"
        "<child name=\"nest\" binary=\"manager\" priority=\"60\" ram=\"5M\" caps=\"1500\">"
        "<route><service name=\"log\"><channel id=\"1\"/></service></route>";
    static const char nest_tail[] =
        "<program name=\"beacon\" path=\"b\"/>"
        "<child name=\"beacon\" binary=\"beacon\" priority=\"50\" ram=\"128K\" caps=\"40\">"
        "<route><service name=\"log\"><parent/></service></route></child></manager></child>";
    static char nest[1024];
    snprintf(nest, sizeof nest, "%s<manager ram=\"512K\" caps=\"200\">%s", nest_head, nest_tail);
    label = load(nest);
    printf("%s", reply);
    check("manager.nested_manager_starts", label == ControlApplied && strstr(reply, "started nest") != NULL &&
                                               strstr(reply, "failed") == NULL);
    for (polls = 0; (badge & (1u << 1)) == 0 && polls < 100000; ++polls)
        seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    check("manager.nested_child_uses_its_parent_route", (badge & (1u << 1)) != 0);
    status();
    printf("%s", reply);
    check("manager.nested_manager_is_charged_its_child_quota",
          line_has("nest", "running") && nest_chunks - free_chunks == 80);
    /* `manager status nest/`: the nested manager's own children, read from it by its parent; a
     * path to a child that runs no manager, or to no child, is rejected with why. */
    label = status_of("nest/");
    printf("%s", reply);
    check("manager.nested_status_by_path",
          label == ControlApplied && line_has("beacon", "running") && line_has("beacon", " 128 ") &&
              line_of("nest") == NULL);
    const unsigned beacon_label = status_of("nest/beacon/");
    printf("%s", reply);
    const int beacon_refused = beacon_label == ControlRejected && strstr(reply, "'beacon' runs no manager") != NULL;
    label = status_of("ghost/");
    printf("%s", reply);
    check("manager.nested_status_of_no_manager_rejected",
          beacon_refused && label == ControlRejected && strstr(reply, "'ghost' is no child") != NULL);
    /* A nested configuration with an error is rejected with the whole one; the nest keeps running. */
    static char bad_nest[1024];
    snprintf(bad_nest, sizeof bad_nest, "%s<manager ram=\"8M\" caps=\"200\">%s", nest_head, nest_tail);
    label = load(bad_nest);
    printf("%s", reply);
    status();
    check("manager.nested_bad_config_rejected",
          label == ControlRejected && line_has("nest", "running"));
    unsigned nest_failures = 0;
    for (unsigned cycle = 0; cycle < 10; ++cycle) {
        if (load("") != ControlApplied)
            ++nest_failures;
        if (load(nest) != ControlApplied || strstr(reply, "failed") != NULL)
            ++nest_failures;
    }
    load("");
    status();
    microkit_ppcall(MANAGER, microkit_msginfo_new(ControlVerify, 0));
    const seL4_Word nest_dirty = microkit_mr_get(0);
    printf("manager: after 10 nested start/stop cycles: %lu of %lu chunks free, %lu slots (%lu before)\n",
           (unsigned long)free_chunks, (unsigned long)all_chunks, (unsigned long)free_slots,
           (unsigned long)nest_slots);
    check("manager.nested_stop_returns_everything",
          nest_failures == 0 && free_chunks == nest_chunks && free_slots == nest_slots &&
              nest_dirty == 0);

    /* Stop everything; start and stop the sleeper again; then 1,000 start/stop cycles of the
     * pulse child (systems/dynamic/pulse.c: a page of code, so a cycle is the manager's own
     * work), each with a 2 MiB quota: 32 chunks taken and revoked every time. */
    char *buffer = (char *)control;
    const char *without = "<manager ram=\"8M\" caps=\"4000\"><program name=\"sleeper\" path=\"s\"/>"
                          "<program name=\"pulse\" path=\"p\"/></manager>";
    const char *with_sleeper = "<manager ram=\"8M\" caps=\"4000\"><program name=\"sleeper\" path=\"s\"/>"
                               "<program name=\"pulse\" path=\"p\"/>"
                               "<child name=\"sleeper\" binary=\"sleeper\" priority=\"50\" ram=\"2M\" caps=\"600\"/></manager>";
    const char *with_pulse = "<manager ram=\"8M\" caps=\"4000\"><program name=\"sleeper\" path=\"s\"/>"
                             "<program name=\"pulse\" path=\"p\"/>"
                             "<child name=\"pulse\" binary=\"pulse\" priority=\"50\" ram=\"2M\" caps=\"600\"/></manager>";
    unsigned failures = 0;
    seL4_Word empty_slots = 0;
    uint64_t cycles_began = 0;
    int restarted_run = 0;
    for (unsigned step = 0; step <= 2002; ++step) {
        if (step == 3)
            cycles_began = tsc();
        const char *next = step % 2 == 0 ? without : step == 1 ? with_sleeper : with_pulse;
        size_t length = strlen(next);
        memcpy(buffer, next, length);
        microkit_mr_set(0, length);
        microkit_msginfo answer = microkit_ppcall(MANAGER, microkit_msginfo_new(ControlLoad, 1));
        if (microkit_msginfo_get_label(answer) != ControlApplied)
            ++failures;
        if (step == 0) {
            status();
            empty_slots = free_slots;
            check("manager.removed_child_stops", line_of("sleeper") == NULL && free_chunks == all_chunks);
        }
        if (step == 1) {
            status();
            restarted_run = line_has("sleeper", "running");
        }
        if (step == 3) {
            status();
            check("manager.restarted_child_runs", restarted_run && line_has("pulse", "running"));
        }
    }
    /* Under -icount shift=0 (launch.py --icount) the TSC counts guest instructions. */
    const uint64_t cycle_ticks = (tsc() - cycles_began) / 1000;
    check("manager.thousand_cycles_applied", failures == 0);
    status();
    printf("manager: one start/stop cycle of the pulse child: %lu TSC ticks on average\n",
           (unsigned long)cycle_ticks);
    printf("manager: after 1000 start/stop cycles: %lu of %lu chunks free, %lu slots\n",
           (unsigned long)free_chunks, (unsigned long)all_chunks, (unsigned long)free_slots);
    check("manager.cycles_return_every_chunk", line_of("pulse") == NULL && free_chunks == all_chunks);
    check("manager.cycles_return_every_slot", free_slots == empty_slots);
    (void)initial_slots;
    microkit_ppcall(MANAGER, microkit_msginfo_new(ControlVerify, 0));
    check("manager.free_chunks_empty_in_kernel", microkit_mr_get(0) == 0 && microkit_mr_get(1) == all_chunks);
    check_summary();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
