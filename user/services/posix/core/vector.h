// A growable array for the server: no exceptions, so growth reports failure (false) instead of
// throwing, and the caller turns that into ENOMEM.
#pragma once

#include <stddef.h>
#include <stdlib.h>

#include <new>
#include <utility>

namespace tessera::posix {

template <class T> class Vector {
public:
    Vector() = default;
    Vector(const Vector&) = delete;
    Vector& operator=(const Vector&) = delete;
    Vector(Vector&& other) : data_(other.data_), size_(other.size_), capacity_(other.capacity_)
    {
        other.data_ = nullptr;
        other.size_ = other.capacity_ = 0;
    }
    Vector& operator=(Vector&& other)
    {
        if (this != &other) {
            clear();
            free(data_);
            data_ = other.data_;
            size_ = other.size_;
            capacity_ = other.capacity_;
            other.data_ = nullptr;
            other.size_ = other.capacity_ = 0;
        }
        return *this;
    }
    ~Vector()
    {
        clear();
        free(data_);
    }

    [[nodiscard]] bool reserve(size_t capacity)
    {
        if (capacity <= capacity_)
            return true;
        T* fresh = static_cast<T*>(malloc(capacity * sizeof(T)));
        if (fresh == nullptr)
            return false;
        for (size_t i = 0; i < size_; ++i) {
            new (&fresh[i]) T(std::move(data_[i]));
            data_[i].~T();
        }
        free(data_);
        data_ = fresh;
        capacity_ = capacity;
        return true;
    }
    [[nodiscard]] bool push_back(T value)
    {
        if (size_ == capacity_ && !reserve(capacity_ == 0 ? 8 : capacity_ * 2))
            return false;
        new (&data_[size_++]) T(std::move(value));
        return true;
    }
    // Inserts before `index` (index == size() appends).
    [[nodiscard]] bool insert(size_t index, T value)
    {
        if (!push_back(std::move(value)))
            return false;
        for (size_t i = size_ - 1; i > index; --i)
            std::swap(data_[i], data_[i - 1]);
        return true;
    }
    void erase(size_t index)
    {
        for (size_t i = index; i + 1 < size_; ++i)
            data_[i] = std::move(data_[i + 1]);
        data_[--size_].~T();
    }
    void pop_back() { data_[--size_].~T(); }
    void clear()
    {
        while (size_ > 0)
            data_[--size_].~T();
    }
    // Keeps the first `count` elements.
    void truncate(size_t count)
    {
        while (size_ > count)
            data_[--size_].~T();
    }

    size_t size() const { return size_; }
    bool is_empty() const { return size_ == 0; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T* data() { return data_; }

private:
    T* data_ = nullptr;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

} // namespace tessera::posix
