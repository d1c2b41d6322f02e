// The confined path walk: a client whose root is /home/a reaches nothing outside it, through
// "..", absolute or relative symlinks, or hard links; and the walk's own limits.
#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

class Ext2PathWalkerFixture : public Ext2VolumeFixture {
protected:
    void SetUp() override
    {
        make("");
        ASSERT_TRUE(m().mkdir("/home"));
        ASSERT_TRUE(m().mkdir("/home/a"));
        ASSERT_TRUE(m().mkdir("/home/a/sub"));
        ASSERT_TRUE(m().mkdir("/home/b"));
        ASSERT_TRUE(m().create("/secret"));
        ASSERT_TRUE(m().write_all("/secret", bytes_of("outside")));
        ASSERT_TRUE(m().create("/home/a/mine"));
        ASSERT_TRUE(m().write_all("/home/a/mine", bytes_of("inside")));
        ASSERT_TRUE(m().create("/home/b/theirs"));
        home_a = m().resolve("/home/a").value();
        root_inode = m().resolve("/").value();
    }
    // Resolves path as the confined client sees it.
    Result<InodeNumber> as_client(const std::string& path,
                                  PathWalker::Follow follow = PathWalker::Follow::Yes)
    {
        m().root = home_a;
        auto found = m().resolve(path, follow);
        m().root = root_inode;
        return found;
    }
    InodeNumber home_a{0};
    InodeNumber root_inode{0};
};

TEST_F(Ext2PathWalkerFixture, ClientRootIsItsSlash)
{
    EXPECT_EQ(as_client("/").value(), home_a);
    EXPECT_EQ(as_client("").value(), home_a);
    EXPECT_EQ(as_client("mine").value(), m().resolve("/home/a/mine").value());
    EXPECT_EQ(as_client("/sub/./../mine").value(), m().resolve("/home/a/mine").value());
}

TEST_F(Ext2PathWalkerFixture, DotDotStopsAtTheClientRoot)
{
    EXPECT_EQ(as_client("..").value(), home_a);
    EXPECT_EQ(as_client("/../../..").value(), home_a);
    EXPECT_EQ(as_client("../../secret").error(), Errno::NoEnt);
    EXPECT_EQ(as_client("sub/../../../home/b/theirs").error(), Errno::NoEnt);
}

TEST_F(Ext2PathWalkerFixture, AbsoluteSymlinksMeanTheClientRoot)
{
    ASSERT_TRUE(m().symlink("/secret", "/home/a/abs"));
    ASSERT_TRUE(m().symlink("/mine", "/home/a/abs_mine"));
    EXPECT_EQ(as_client("abs").error(), Errno::NoEnt);
    EXPECT_EQ(as_client("abs_mine").value(), m().resolve("/home/a/mine").value());
    // The same link seen from the real root goes where it says.
    EXPECT_EQ(m().resolve("/home/a/abs").value(), m().resolve("/secret").value());
}

TEST_F(Ext2PathWalkerFixture, RelativeSymlinksCannotClimbOut)
{
    ASSERT_TRUE(m().symlink("../../../secret", "/home/a/sub/up"));
    ASSERT_TRUE(m().symlink("../..", "/home/a/sub/top"));
    EXPECT_EQ(as_client("sub/up").error(), Errno::NoEnt);
    EXPECT_EQ(as_client("sub/top").value(), home_a);
    EXPECT_EQ(as_client("sub/top/mine").value(), m().resolve("/home/a/mine").value());
}

TEST_F(Ext2PathWalkerFixture, HardLinksCanOnlyBeMadeToWhatTheClientCanName)
{
    // The client cannot name /secret, so it cannot link it in.
    m().root = home_a;
    EXPECT_EQ(m().link("/../secret", "/stolen").error(), Errno::NoEnt);
    EXPECT_EQ(m().link("/../../home/b/theirs", "/stolen").error(), Errno::NoEnt);
    EXPECT_TRUE(m().link("/mine", "/mine2"));
    m().root = root_inode;
    EXPECT_EQ(m().read_all("/home/a/mine2"), bytes_of("inside"));
}

TEST_F(Ext2PathWalkerFixture, FinalSymlinkFollowedOnlyWhenAsked)
{
    ASSERT_TRUE(m().symlink("mine", "/home/a/link"));
    auto link = as_client("link", PathWalker::Follow::No);
    auto target = as_client("link", PathWalker::Follow::Yes);
    ASSERT_TRUE(link);
    ASSERT_TRUE(target);
    EXPECT_NE(link.value(), target.value());
    EXPECT_EQ(target.value(), m().resolve("/home/a/mine").value());
}

TEST_F(Ext2PathWalkerFixture, SymlinkLoopsEndWithEloop)
{
    ASSERT_TRUE(m().symlink("loop2", "/home/a/loop1"));
    ASSERT_TRUE(m().symlink("loop1", "/home/a/loop2"));
    ASSERT_TRUE(m().symlink("self/x", "/home/a/self"));
    EXPECT_EQ(as_client("loop1").error(), Errno::Loop);
    EXPECT_EQ(as_client("self").error(), Errno::Loop);
    // Not followed: the link itself.
    EXPECT_TRUE(as_client("loop1", PathWalker::Follow::No));
}

TEST_F(Ext2PathWalkerFixture, NonDirectoriesInTheMiddleAreNotDir)
{
    EXPECT_EQ(as_client("mine/x").error(), Errno::NotDir);
    EXPECT_EQ(as_client("mine/").error(), Errno::NotDir);
    EXPECT_TRUE(as_client("sub/"));
}

TEST_F(Ext2PathWalkerFixture, LongPathsAndNamesAreRefused)
{
    EXPECT_EQ(as_client(std::string(256, 'n')).error(), Errno::NameTooLong);
    std::string deep;
    while (deep.size() < PathMax)
        deep += "sub/../";
    EXPECT_EQ(as_client(deep).error(), Errno::NameTooLong);
    EXPECT_EQ(m().parent("/home/a/" + std::string(300, 'x')).error(), Errno::NameTooLong);
}

TEST_F(Ext2PathWalkerFixture, ParentOfAPathAndItsLastName)
{
    std::string path = "/home/a/sub/newname//";
    auto parent = m().parent(path);
    ASSERT_TRUE(parent);
    EXPECT_EQ(parent.value().directory, m().resolve("/home/a/sub").value());
    EXPECT_EQ(std::string(parent.value().name.bytes, parent.value().name.length), "newname");
    auto root = m().parent("/");
    ASSERT_TRUE(root);
    EXPECT_EQ(root.value().name.length, 0u);
    EXPECT_EQ(m().parent("/secret/x").error(), Errno::NotDir);
}

} // namespace
} // namespace tessera::ext2::test
