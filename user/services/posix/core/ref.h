// Shared ownership for server objects that several holders keep alive (inodes, open files, pipes,
// address spaces): an intrusive count, and Ref<T> releasing the object when the last one goes.
#pragma once

#include <stdint.h>

#include <new>
#include <utility>

namespace tessera::posix {

class RefCounted {
public:
    RefCounted() = default;
    RefCounted(const RefCounted&) = delete;
    RefCounted& operator=(const RefCounted&) = delete;
    virtual ~RefCounted() = default;

    void acquire() { ++count_; }
    // Deletes the object when the count reaches zero.
    void release()
    {
        if (--count_ == 0)
            last_reference_gone();
    }
    uint32_t reference_count() const { return count_; }

protected:
    // Called once, when the last reference is released; deletes by default.
    virtual void last_reference_gone() { delete this; }

private:
    uint32_t count_ = 0;
};

template <class T> class Ref {
public:
    Ref() = default;
    Ref(decltype(nullptr)) {}
    explicit Ref(T* object) : object_(object)
    {
        if (object_ != nullptr)
            object_->acquire();
    }
    Ref(const Ref& other) : Ref(other.object_) {}
    Ref(Ref&& other) : object_(other.object_) { other.object_ = nullptr; }
    template <class U> Ref(const Ref<U>& other) : Ref(static_cast<T*>(other.get())) {}
    Ref& operator=(Ref other)
    {
        std::swap(object_, other.object_);
        return *this;
    }
    ~Ref()
    {
        if (object_ != nullptr)
            object_->release();
    }

    T* get() const { return object_; }
    T* operator->() const { return object_; }
    T& operator*() const { return *object_; }
    explicit operator bool() const { return object_ != nullptr; }
    bool operator==(const Ref& other) const { return object_ == other.object_; }
    void reset() { *this = Ref(); }

private:
    T* object_ = nullptr;
};

// A new object held by a Ref, or an empty Ref when allocation fails.
template <class T, class... Args> Ref<T> make_ref(Args&&... args)
{
    return Ref<T>(new (std::nothrow) T(std::forward<Args>(args)...));
}

} // namespace tessera::posix
