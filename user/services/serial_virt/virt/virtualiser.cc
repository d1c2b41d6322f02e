// The serial virtualiser's logic (virtualiser.h): set-up, input routing and output units.
#include "virtualiser.h"

namespace tessera::serial {

namespace {

uint32_t copy_prefix(char (&to)[PrefixMax], const char* from)
{
    uint32_t length = 0;
    while (from != nullptr && from[length] != '\0' && length < PrefixMax) {
        to[length] = from[length];
        ++length;
    }
    return length;
}

} // namespace

const char* describe(SetupError error)
{
    switch (error) {
    case SetupError::None:
        return "no error";
    case SetupError::NoClients:
        return "no clients";
    case SetupError::TooManyClients:
        return "more clients than the virtualiser serves (16)";
    case SetupError::BadDriverRing:
        return "a driver ring region is missing, misaligned or too small";
    case SetupError::DriverRingSmallerThanALine:
        return "the driver's transmit ring cannot hold one line (at least 512 bytes of data)";
    case SetupError::BadClientRing:
        return "a client ring region is missing, misaligned or too small";
    }
    return "unknown error";
}

SetupError Virtualiser::setup(const DriverSetup& driver, const ClientSetup* clients, uint32_t count)
{
    count_ = 0;
    if (count == 0)
        return SetupError::NoClients;
    if (count > MaxClients)
        return SetupError::TooManyClients;
    if (tessera_serial_attach_producer(&driver_tx_, driver.tx.memory, driver.tx.bytes) != 0 ||
        tessera_serial_attach_consumer(&driver_rx_, driver.rx.memory, driver.rx.bytes) != 0)
        return SetupError::BadDriverRing;
    if (driver_tx_.capacity < UnitMax)
        return SetupError::DriverRingSmallerThanALine;
    for (uint32_t i = 0; i < count; ++i) {
        Client& client = clients_[i];
        client = Client{};
        client.name = clients[i].name != nullptr ? clients[i].name : "?";
        client.prefix_length = copy_prefix(client.prefix, clients[i].prefix);
        client.at_line_start = true;
        if (tessera_serial_attach_consumer(&client.tx, clients[i].tx.memory, clients[i].tx.bytes))
            return SetupError::BadClientRing;
        client.has_input = clients[i].rx.memory != nullptr;
        if (client.has_input && tessera_serial_attach_producer(&client.rx, clients[i].rx.memory,
                                                               clients[i].rx.bytes) != 0)
            return SetupError::BadClientRing;
    }
    count_ = count;
    input_client_ = 0;
    messages_.add("%u clients; input goes to %s; Ctrl-\\ N Enter gives it to client N", count,
                  clients_[0].name);
    return SetupError::None;
}

Wakeups Virtualiser::process()
{
    Wakeups wakeups;
    if (count_ == 0)
        return wakeups;
    route_input(wakeups);
    emit_output(wakeups);
    return wakeups;
}

bool Virtualiser::select_input(uint32_t index)
{
    if (index >= count_) {
        messages_.add("no client %u (there are %u); input stays with %s", index, count_,
                      clients_[input_client_].name);
        return false;
    }
    input_client_ = index;
    messages_.add("input now goes to %s (client %u)", clients_[index].name, index);
    return true;
}

// ---- Input ----

void Virtualiser::route_input(Wakeups& wakeups)
{
    uint8_t buffer[64];
    uint8_t batch[sizeof buffer];
    bool consumed = false;
    for (;;) {
        const long count = tessera_serial_read(&driver_rx_, buffer, sizeof buffer);
        if (count < 0) {
            driver_ring_broken(Direction::Receive); // the resynchronised ring is empty
            break;
        }
        if (count == 0) {
            const int sleep = tessera_serial_consumer_prepare_to_sleep(&driver_rx_);
            if (sleep < 0)
                driver_ring_broken(Direction::Receive);
            if (sleep != 0)
                break;
            continue; // input arrived meanwhile
        }
        consumed = true;
        // Bytes for the client are batched; a switch sends the batch to the old client first.
        uint32_t batched = 0;
        for (long i = 0; i < count; ++i) {
            switch (decoder_.feed(buffer[i])) {
            case InputAction::Deliver:
                batch[batched++] = decoder_.byte();
                break;
            case InputAction::Swallow:
                break;
            case InputAction::Select:
                deliver_input(batch, batched, wakeups);
                batched = 0;
                select_input(decoder_.number());
                break;
            case InputAction::BadSequence:
                messages_.add("input switch not understood: type Ctrl-\\, the client's number "
                              "and Enter (Ctrl-\\ twice for a Ctrl-\\)");
                break;
            }
        }
        deliver_input(batch, batched, wakeups);
    }
    // Only after taking bytes: a signal that brings the peer nothing would bring back one.
    if (consumed && tessera_serial_consumer_signal_needed(&driver_rx_))
        wakeups.driver = true; // the driver stopped reading the UART until we made room
}

void Virtualiser::deliver_input(const uint8_t* bytes, uint32_t length, Wakeups& wakeups)
{
    if (length == 0)
        return;
    Client& client = clients_[input_client_];
    long written = 0;
    if (client.has_input) {
        written = tessera_serial_write(&client.rx, bytes, length);
        if (written < 0) {
            client_ring_broken(input_client_, Direction::Receive);
            written = 0;
        }
    }
    client.counters.input_bytes += static_cast<uint64_t>(written);
    const uint32_t lost = length - static_cast<uint32_t>(written);
    if (lost != 0) {
        client.counters.input_dropped += lost;
        if (!client.dropping_input)
            messages_.add("%s takes no more input now: input dropped", client.name);
        client.dropping_input = true;
    } else {
        client.dropping_input = false;
    }
    if (written > 0 && tessera_serial_producer_signal_needed(&client.rx))
        wakeups.clients |= 1u << input_client_;
}

// ---- Output ----

void Virtualiser::emit_output(Wakeups& wakeups)
{
    bool wrote = false;
    for (;;) {
        uint32_t source;
        Unit unit;
        if (!next_unit(source, unit)) {
            // Look again if a client wrote meanwhile or a broken ring left a message to send.
            if (arm_client_rings() || !messages_.is_empty())
                continue;
            break;
        }
        const uint32_t length = compose(source, unit);
        // A broken driver ring is reset and the unit waits for the next event: nothing here
        // loops on a peer that keeps breaking its indices.
        const long space = tessera_serial_free_space(&driver_tx_);
        if (space < 0) {
            driver_ring_broken(Direction::Transmit);
            break;
        }
        if (static_cast<uint32_t>(space) < length) {
            // Wait for the driver to drain; the unit is composed again then, from the same place.
            const int sleep = tessera_serial_producer_prepare_to_sleep(&driver_tx_, length);
            if (sleep < 0)
                driver_ring_broken(Direction::Transmit);
            if (sleep != 0)
                break;
            continue;
        }
        if (tessera_serial_write(&driver_tx_, out_, length) != static_cast<long>(length)) {
            driver_ring_broken(Direction::Transmit);
            break;
        }
        wrote = true;
        commit(source, unit, wakeups);
    }
    if (wrote && tessera_serial_producer_signal_needed(&driver_tx_))
        wakeups.driver = true;
}

// The next unit to go out: the virtualiser's own lines first, then the clients round robin.
bool Virtualiser::next_unit(uint32_t& source, Unit& unit)
{
    if (!messages_.is_empty()) {
        source = OwnSource;
        unit = Unit{messages_.front_length(), UnitKind::Line};
        return true;
    }
    for (uint32_t step = 0; step < count_; ++step) {
        const uint32_t index = (round_robin_ + step) % count_;
        if (find_client_unit(index, unit)) {
            source = index;
            return true;
        }
    }
    return false;
}

// Peeks at client `index`'s ring into line_ and says how much of it forms the next unit.
bool Virtualiser::find_client_unit(uint32_t index, Unit& unit)
{
    Client& client = clients_[index];
    const long peeked = tessera_serial_peek(&client.tx, line_, LineMax);
    if (peeked < 0) {
        client_ring_broken(index, Direction::Transmit);
        return false;
    }
    if (peeked == 0)
        return false;
    const uint32_t length = static_cast<uint32_t>(peeked);
    for (uint32_t i = 0; i < length; ++i) {
        if (line_[i] == '\n') {
            unit = Unit{i + 1, UnitKind::Line};
            return true;
        }
    }
    unit = Unit{length, length == LineMax ? UnitKind::Forced : UnitKind::Partial};
    return true;
}

// Lays the unit out in out_: a newline ending another client's partial line, the prefix at the
// start of a line, the bytes, and a newline after a forced break. Returns its length.
uint32_t Virtualiser::compose(uint32_t source, const Unit& unit)
{
    uint32_t length = 0;
    if (mid_line_owner_ != NoOwner && mid_line_owner_ != source)
        out_[length++] = '\n';
    const bool own = source == OwnSource;
    if (own || clients_[source].at_line_start) {
        const char* prefix = own ? OwnPrefix : clients_[source].prefix;
        const uint32_t prefix_length =
            own ? static_cast<uint32_t>(__builtin_strlen(OwnPrefix)) : clients_[source].prefix_length;
        __builtin_memcpy(out_ + length, prefix, prefix_length);
        length += prefix_length;
    }
    const uint8_t* bytes = own ? reinterpret_cast<const uint8_t*>(messages_.front()) : line_;
    __builtin_memcpy(out_ + length, bytes, unit.length);
    length += unit.length;
    if (unit.kind == UnitKind::Forced)
        out_[length++] = '\n';
    return length;
}

// The unit is in the driver's ring: take it from its source and note where the cursor is.
void Virtualiser::commit(uint32_t source, const Unit& unit, Wakeups& wakeups)
{
    if (mid_line_owner_ != NoOwner && mid_line_owner_ != source)
        clients_[mid_line_owner_].at_line_start = true;
    if (source == OwnSource) {
        messages_.pop();
        mid_line_owner_ = NoOwner;
        return;
    }
    Client& client = clients_[source];
    if (tessera_serial_discard(&client.tx, unit.length) < 0) {
        client_ring_broken(source, Direction::Transmit);
        return;
    }
    client.counters.output_bytes += unit.length;
    switch (unit.kind) {
    case UnitKind::Line:
        client.counters.lines++;
        break;
    case UnitKind::Forced:
        client.counters.forced_breaks++;
        break;
    case UnitKind::Partial:
        client.counters.partial_units++;
        break;
    }
    client.at_line_start = unit.kind != UnitKind::Partial;
    mid_line_owner_ = unit.kind == UnitKind::Partial ? source : NoOwner;
    round_robin_ = (source + 1) % count_;
    if (tessera_serial_consumer_signal_needed(&client.tx))
        wakeups.clients |= 1u << source; // it waits for room
}

// Before going idle: asks every client for a signal on its next write. True if one wrote
// meanwhile (look again instead of sleeping).
bool Virtualiser::arm_client_rings()
{
    bool more = false;
    for (uint32_t i = 0; i < count_; ++i) {
        const int sleep = tessera_serial_consumer_prepare_to_sleep(&clients_[i].tx);
        if (sleep < 0)
            client_ring_broken(i, Direction::Transmit);
        more = more || sleep == 0;
    }
    return more;
}

// ---- Broken rings ----

void Virtualiser::client_ring_broken(uint32_t index, Direction direction)
{
    Client& client = clients_[index];
    const uint64_t count = ++client.counters.corrupt;
    const char* which = direction == Direction::Transmit ? "transmit" : "receive";
    if (direction == Direction::Transmit)
        tessera_serial_resynchronise_consumer(&client.tx);
    else
        tessera_serial_resynchronise_producer(&client.rx);
    // Reported the first time and then at every power of two, so a client breaking its ring in
    // a loop cannot flood the terminal.
    if ((count & (count - 1)) == 0)
        messages_.add("%s broke the indices of its %s ring (%llu times): its bytes in flight "
                      "are dropped",
                      client.name, which, static_cast<unsigned long long>(count));
}

void Virtualiser::driver_ring_broken(Direction direction)
{
    const char* which = direction == Direction::Transmit ? "transmit" : "receive";
    if (direction == Direction::Transmit)
        tessera_serial_resynchronise_producer(&driver_tx_);
    else
        tessera_serial_resynchronise_consumer(&driver_rx_);
    messages_.add("the driver's %s ring indices were broken and are reset", which);
}

} // namespace tessera::serial
