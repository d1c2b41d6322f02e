// The local APIC model (local_apic.h).
#include "local_apic.h"
#include "time_scale.h"

namespace tessera::services::vmm {
namespace {

// Register offsets (SDM vol. 3, table 11-1).
constexpr uint64_t RegId = 0x20, RegVersion = 0x30, RegTpr = 0x80, RegApr = 0x90, RegPpr = 0xa0,
                   RegEoi = 0xb0, RegLdr = 0xd0, RegDfr = 0xe0, RegSvr = 0xf0, RegIsr = 0x100,
                   RegTmr = 0x180, RegIrr = 0x200, RegEsr = 0x280, RegIcrLow = 0x300,
                   RegIcrHigh = 0x310, RegLvtTimer = 0x320, RegLvtLast = 0x370,
                   RegTimerInitial = 0x380, RegTimerCurrent = 0x390, RegTimerDivide = 0x3e0;
constexpr uint32_t LvtMasked = 1u << 16;
constexpr uint32_t LvtTimerPeriodic = 1u << 17;
constexpr uint32_t SvrEnable = 1u << 8;
constexpr uint32_t VersionValue = 0x14 | (5u << 16); // integrated APIC, 6 LVT entries
constexpr unsigned IcrShorthandShift = 18;

uint64_t ticks_at(uint64_t ns)
{
    return scale_down(ns, ApicTimerHz, NsPerSecond);
}

uint64_t ns_of_ticks(uint64_t ticks)
{
    return scale_up(ticks, NsPerSecond, ApicTimerHz);
}

} // namespace

LocalApic::LocalApic(uint8_t apic_id, IoApic* io_apic) : io_apic_(io_apic), id_(apic_id)
{
    for (uint32_t& lvt : lvt_)
        lvt = LvtMasked;
}

bool LocalApic::test(const uint32_t* bits, unsigned vector)
{
    return (bits[vector / 32] >> (vector % 32)) & 1;
}

void LocalApic::set(uint32_t* bits, unsigned vector, bool value)
{
    if (value)
        bits[vector / 32] |= 1u << (vector % 32);
    else
        bits[vector / 32] &= ~(1u << (vector % 32));
}

int LocalApic::highest(const uint32_t* bits)
{
    for (int word = 7; word >= 0; --word)
        for (int bit = 31; bit >= 0; --bit)
            if ((bits[word] >> bit) & 1)
                return word * 32 + bit;
    return -1;
}

bool LocalApic::enabled() const
{
    return (svr_ & SvrEnable) != 0;
}

uint8_t LocalApic::processor_priority() const
{
    int in_service = highest(isr_);
    uint32_t isr_class = in_service < 0 ? 0 : static_cast<uint32_t>(in_service) & 0xf0;
    uint32_t tpr = tpr_ & 0xff;
    return static_cast<uint8_t>((tpr & 0xf0) >= isr_class ? tpr : isr_class);
}

void LocalApic::accept(uint8_t vector, bool level)
{
    if (vector < 16) {
        esr_ |= 1u << 6; // received illegal vector
        return;
    }
    set(irr_, vector, true);
    set(tmr_, vector, level);
}

void LocalApic::deliver(const InterruptMessage& message)
{
    switch (message.mode) {
    case DeliveryMode::Fixed:
    case DeliveryMode::LowestPriority:
        if (enabled())
            accept(message.vector, message.level_triggered);
        return;
    case DeliveryMode::Nmi:
        nmi_pending_ = true;
        return;
    default:
        return; // SMI, INIT, ExtINT: not modelled (one VCPU, the 8259s stay masked)
    }
}

int LocalApic::deliverable_vector() const
{
    int vector = highest(irr_);
    if (vector < 0 || !enabled())
        return -1;
    return (static_cast<uint32_t>(vector) & 0xf0) > (processor_priority() & 0xf0u) ? vector : -1;
}

int LocalApic::acknowledge()
{
    int vector = deliverable_vector();
    if (vector < 0)
        return -1;
    set(irr_, static_cast<unsigned>(vector), false);
    set(isr_, static_cast<unsigned>(vector), true);
    return vector;
}

bool LocalApic::take_nmi()
{
    bool pending = nmi_pending_;
    nmi_pending_ = false;
    return pending;
}

uint64_t LocalApic::timer_period_ticks() const
{
    unsigned code = (timer_divide_ & 3) | ((timer_divide_ & 8) >> 1);
    uint64_t divisor = code == 7 ? 1 : 2ull << code;
    return static_cast<uint64_t>(timer_initial_) * divisor;
}

uint64_t LocalApic::timer_ticks(uint64_t now_ns) const
{
    uint64_t start = ticks_at(timer_start_ns_), now = ticks_at(now_ns);
    return now > start ? now - start : 0;
}

uint64_t LocalApic::timer_fires(uint64_t ticks) const
{
    uint64_t period = timer_period_ticks();
    if (period == 0)
        return 0;
    if (lvt_[0] & LvtTimerPeriodic)
        return ticks / period;
    return ticks >= period ? 1 : 0;
}

uint32_t LocalApic::current_count(uint64_t now_ns) const
{
    uint64_t period = timer_period_ticks();
    if (period == 0)
        return 0;
    uint64_t ticks = timer_ticks(now_ns);
    uint64_t divisor = period / timer_initial_;
    if (lvt_[0] & LvtTimerPeriodic)
        return static_cast<uint32_t>((period - ticks % period + divisor - 1) / divisor);
    if (ticks >= period)
        return 0;
    return static_cast<uint32_t>((period - ticks + divisor - 1) / divisor);
}

void LocalApic::advance(uint64_t now_ns)
{
    uint64_t fires = timer_fires(timer_ticks(now_ns));
    if (fires <= timer_fired_)
        return;
    timer_fired_ = fires; // missed periods coalesce into one, as a busy IRR bit would
    if (!(lvt_[0] & LvtMasked) && enabled())
        accept(static_cast<uint8_t>(lvt_[0] & 0xff), false);
}

uint64_t LocalApic::next_timer_deadline_ns(uint64_t now_ns) const
{
    uint64_t period = timer_period_ticks();
    if (period == 0)
        return ~0ull;
    uint64_t ticks = timer_ticks(now_ns);
    if (timer_fires(ticks) > timer_fired_)
        return now_ns;
    uint64_t target;
    if (lvt_[0] & LvtTimerPeriodic)
        target = (ticks / period + 1) * period;
    else if (ticks < period)
        target = period;
    else
        return ~0ull;
    return ns_of_ticks(ticks_at(timer_start_ns_) + target);
}

uint32_t LocalApic::read(uint64_t offset, uint64_t now_ns) const
{
    if (offset >= RegIsr && offset < RegIsr + 0x80 && offset % 16 == 0)
        return isr_[(offset - RegIsr) / 16];
    if (offset >= RegTmr && offset < RegTmr + 0x80 && offset % 16 == 0)
        return tmr_[(offset - RegTmr) / 16];
    if (offset >= RegIrr && offset < RegIrr + 0x80 && offset % 16 == 0)
        return irr_[(offset - RegIrr) / 16];
    if (offset >= RegLvtTimer && offset <= RegLvtLast && offset % 16 == 0)
        return lvt_[(offset - RegLvtTimer) / 16];
    switch (offset) {
    case RegId:
        return static_cast<uint32_t>(id_) << 24;
    case RegVersion:
        return VersionValue;
    case RegTpr:
        return tpr_;
    case RegApr:
        return 0;
    case RegPpr:
        return processor_priority();
    case RegLdr:
        return ldr_;
    case RegDfr:
        return dfr_;
    case RegSvr:
        return svr_;
    case RegEsr:
        return esr_;
    case RegIcrLow:
        return icr_low_;
    case RegIcrHigh:
        return icr_high_;
    case RegTimerInitial:
        return timer_initial_;
    case RegTimerCurrent:
        return current_count(now_ns);
    case RegTimerDivide:
        return timer_divide_;
    default:
        return 0;
    }
}

void LocalApic::write(uint64_t offset, uint32_t value, uint64_t now_ns)
{
    if (offset >= RegLvtTimer && offset <= RegLvtLast && offset % 16 == 0) {
        uint32_t& lvt = lvt_[(offset - RegLvtTimer) / 16];
        lvt = enabled() ? value : value | LvtMasked; // a disabled APIC keeps every LVT masked
        return;
    }
    switch (offset) {
    case RegTpr:
        tpr_ = value & 0xff;
        return;
    case RegEoi: {
        int vector = highest(isr_);
        if (vector < 0)
            return;
        set(isr_, static_cast<unsigned>(vector), false);
        if (test(tmr_, static_cast<unsigned>(vector)) && io_apic_ != nullptr)
            io_apic_->end_of_interrupt(static_cast<uint8_t>(vector));
        return;
    }
    case RegLdr:
        ldr_ = value & 0xff000000u;
        return;
    case RegDfr:
        dfr_ = value | 0x0fffffffu;
        return;
    case RegSvr:
        svr_ = value & 0x3ff;
        if (!enabled())
            for (uint32_t& lvt : lvt_)
                lvt |= LvtMasked;
        return;
    case RegEsr:
        esr_ = 0; // a write clears the error status (after latching, which is immediate here)
        return;
    case RegIcrHigh:
        icr_high_ = value & 0xff000000u;
        return;
    case RegIcrLow: {
        icr_low_ = value & ~(1u << 12); // delivery status: sent at once
        unsigned shorthand = (value >> IcrShorthandShift) & 3;
        unsigned mode = (value >> 8) & 7;
        bool to_self =
            shorthand == 1 || shorthand == 2 || (shorthand == 0 && (icr_high_ >> 24) == id_);
        // One VCPU: an IPI reaches this APIC or no one (INIT/SIPI to others are not modelled).
        if (to_self && mode == 0)
            accept(static_cast<uint8_t>(value & 0xff), false);
        else if (to_self && mode == 4)
            nmi_pending_ = true;
        return;
    }
    case RegTimerInitial:
        timer_initial_ = value;
        timer_start_ns_ = now_ns;
        timer_fired_ = 0;
        return;
    case RegTimerDivide:
        timer_divide_ = value & 0xb;
        return;
    default:
        return; // read-only or reserved
    }
}

} // namespace tessera::services::vmm
