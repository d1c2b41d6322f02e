// Look-ups over the interface model.
#include "interfaces_model.h"

namespace tessera::sdf {

const Method* Interface::find_method(const std::string& name) const
{
    for (const Method& method : methods)
        if (method.name == name)
            return &method;
    return nullptr;
}

const Dataport* Interface::find_dataport(const std::string& name) const
{
    for (const Dataport& dataport : dataports)
        if (dataport.name == name)
            return &dataport;
    return nullptr;
}

const Interface* InterfaceSet::find(const std::string& name) const
{
    for (const Interface& interface : interfaces)
        if (interface.name == name)
            return &interface;
    return nullptr;
}

} // namespace tessera::sdf
